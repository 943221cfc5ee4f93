import { describe, expect, test } from "vitest";
import {
  PROBLEM_500, SYNCED, addCard, awaitStatus, cardItem, closeContext, eventually, fixRandom, newUser, onlyCard,
  recordWrites, screenshotPath, serverCards, signIn, sleep, browserPerFile,
} from "./harness.js";

// Phase 3 of the seed's plan, "Testing Checklist": retries with backoff, failures kept, Retry All.
// The library's policy: 3 retries (4 sends), full jitter in [0, min(8 s, 1 s × 2^(n-1))).

const browser = browserPerFile();

describe("phase 3: retries", () => {
  test("offline, then online: the queued card is sent by itself", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const token = await signIn(page, newUser("offline"));
    await context.setOffline(true);
    await addCard(page, { title: "Made offline" });
    await addCard(page, { title: "Also offline" });
    await awaitStatus(page, { pending: 2, retrying: 0, failed: 0 });
    await page.getByRole("status").getByText("Offline").waitFor();
    await sleep(1500);
    // No retry budget spent while offline, nothing on the server.
    await awaitStatus(page, { pending: 2, retrying: 0, failed: 0 });
    expect(await serverCards(token)).toEqual([]);

    await context.setOffline(false);

    await awaitStatus(page, SYNCED);
    expect((await serverCards(token)).map((c) => [c.title, c.version]).sort()).toEqual([["Also offline", 1], ["Made offline", 1]]);
    await closeContext(context);
  });

  test("a slow network that times out is retried with backoff, one card in the end", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const token = await signIn(page, newUser("slow"));
    const writes = recordWrites(page);
    let sends = 0;
    // The first two sends hang for a second and time out; the third gets through.
    await page.route("**/api/cards", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      sends++;
      if (sends <= 2) {
        await sleep(1000);
        return route.abort("timedout");
      }
      return route.continue();
    });
    await addCard(page, { title: "Slow network" });
    await eventually(async () => expect((await page.getByRole("status").textContent()) ?? "").toMatch(/Retrying: 1/));

    await awaitStatus(page, SYNCED);
    expect(writes.length).toBe(3);
    expect(new Set(writes.map((w) => w.key)).size).toBe(1);
    expect(await onlyCard(token)).toMatchObject({ title: "Slow network", version: 1 });
    await closeContext(context);
  });

  test("a server error (500) is retried 3 times, then failed", async () => {
    const context = await browser().newContext();
    // No jitter wait (random 0): the four sends come at once, the count is what is checked.
    await fixRandom(context, 0);
    const page = await context.newPage();
    const token = await signIn(page, newUser("500"));
    const writes = recordWrites(page);
    await page.route("**/api/cards", (route) => (route.request().method() === "POST" ? route.fulfill(PROBLEM_500) : route.continue()));
    await addCard(page, { title: "Server error" });

    await awaitStatus(page, { pending: 0, retrying: 0, failed: 1 });
    await sleep(2000);
    expect(writes.length).toBe(4);
    expect(new Set(writes.map((w) => w.key)).size).toBe(1);
    await cardItem(page, "Server error").getByText(/^failed/).waitFor();
    await page.locator(".sync").screenshot({ path: screenshotPath("sync-status.png") });
    expect(await serverCards(token)).toEqual([]);
    await closeContext(context);
  });

  test("a permanent error (400) fails at once, without retries", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const token = await signIn(page, newUser("400"));
    const writes = recordWrites(page);
    const answers: number[] = [];
    page.on("response", (r) => {
      if (r.request().method() === "POST" && r.url().endsWith("/api/cards")) answers.push(r.status());
    });
    // A real 400 from the server: a title over its 1000-character limit.
    await addCard(page, { title: "x".repeat(1001) });

    await awaitStatus(page, { pending: 0, retrying: 0, failed: 1 });
    await sleep(2500);
    expect(writes.length).toBe(1);
    expect(answers).toEqual([400]);
    await awaitStatus(page, { pending: 0, retrying: 0, failed: 1 });
    expect(await serverCards(token)).toEqual([]);
    await closeContext(context);
  });

  test("Retry All sends failed operations again, with their keys", async () => {
    const context = await browser().newContext();
    await fixRandom(context, 0);
    const page = await context.newPage();
    const token = await signIn(page, newUser("retryall"));
    const writes = recordWrites(page);
    await page.route("**/api/cards", (route) => (route.request().method() === "POST" ? route.fulfill(PROBLEM_500) : route.continue()));
    await addCard(page, { title: "Retry me" });
    await addCard(page, { title: "Retry me too" });
    await awaitStatus(page, { pending: 0, retrying: 0, failed: 2 });
    expect(await serverCards(token)).toEqual([]);
    const failedKeys = new Set(writes.map((w) => w.key));
    expect(failedKeys.size).toBe(2);

    await page.unroute("**/api/cards");
    await page.getByRole("button", { name: "Retry All" }).click();

    await awaitStatus(page, SYNCED);
    expect(await page.getByRole("button", { name: "Retry All" }).isDisabled()).toBe(true);
    expect((await serverCards(token)).map((c) => `${c.title} v${c.version}`).sort()).toEqual(["Retry me too v1", "Retry me v1"]);
    const retried = writes.slice(8);
    expect(retried.length).toBe(2);
    expect(retried.every((w) => failedKeys.has(w.key))).toBe(true);
    await closeContext(context);
  });

  test("backoff delays grow exponentially", async () => {
    const context = await browser().newContext();
    // Jitter pinned near the top of its range: the waits are 0.9 × 1 s, 2 s, 4 s.
    await fixRandom(context, 0.9);
    const page = await context.newPage();
    const token = await signIn(page, newUser("backoff"));
    const writes = recordWrites(page);
    await page.route("**/api/cards", (route) => (route.request().method() === "POST" ? route.fulfill(PROBLEM_500) : route.continue()));
    await addCard(page, { title: "Backing off" });
    await awaitStatus(page, { pending: 0, retrying: 0, failed: 1 }, 20_000);

    expect(writes.length).toBe(4);
    const gaps = writes.slice(1).map((w, i) => w.at - writes[i]!.at);
    const expected = [900, 1800, 3600];
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(expected[i]! - 50);
      expect(gap).toBeLessThan(expected[i]! + 750);
    });
    expect(gaps[0]!).toBeLessThan(gaps[1]!);
    expect(gaps[1]!).toBeLessThan(gaps[2]!);
    expect(await serverCards(token)).toEqual([]);
    await closeContext(context);
  });
});
