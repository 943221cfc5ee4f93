import type { Response } from "playwright-core";
import { describe, expect, test } from "vitest";
import { SYNCED, closeContext, deleteCard, addCard, awaitStatus, cardItem, editCard, eventually, newUser, onlyCard, recordWrites, serverCards, signIn, sleep, browserPerFile } from "./harness.js";

// Phase 2 of the seed's plan, "Testing Checklist": idempotency keys, so nothing is applied twice.
const browser = browserPerFile();

describe("phase 2: idempotency", () => {
  test("slow network + double-click on Add Card creates only one card", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const token = await signIn(page, newUser("dblclick"));
    const writes = recordWrites(page);
    // Every write takes 2 s to get through.
    await page.route("**/api/cards**", async (route) => {
      if (route.request().method() !== "GET") await sleep(2000);
      await route.continue().catch(() => undefined);
    });
    const form = page.getByRole("form", { name: "Add card" });
    await form.getByLabel("Type").selectOption("md-note");
    await form.getByLabel("Title").fill("Clicked twice");
    await form.getByRole("button", { name: "Add Card" }).dblclick();
    await cardItem(page, "Clicked twice").first().waitFor();

    await awaitStatus(page, SYNCED);
    expect(await onlyCard(token)).toMatchObject({ title: "Clicked twice", version: 1 });
    expect(writes.filter((w) => w.method === "POST").length).toBe(1);
    expect(await cardItem(page, "Clicked twice").count()).toBe(1);
    await closeContext(context);
  });

  test("a page refresh during sync creates the same card, not a duplicate", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const token = await signIn(page, newUser("midsync"));
    const keys: string[] = [];
    context.on("request", (request) => {
      if (request.method() === "POST" && request.url().endsWith("/api/cards")) keys.push(request.headers()["idempotency-key"]!);
    });
    // The create reaches the server and is applied; its answer never reaches the page.
    await page.route("**/api/cards", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      await route.fetch();
      await new Promise(() => {});
    });
    await addCard(page, { title: "Refreshed mid-sync" });
    await eventually(async () => expect((await serverCards(token)).length).toBe(1));

    await page.unroute("**/api/cards");
    await page.reload();
    await awaitStatus(page, SYNCED);

    // Sent again after the reload, with the key it was queued with: the server replayed it.
    expect(keys.length).toBe(2);
    expect(keys[1]).toBe(keys[0]);
    expect(await onlyCard(token)).toMatchObject({ title: "Refreshed mid-sync", version: 1 });
    expect(await cardItem(page, "Refreshed mid-sync").count()).toBe(1);
    await closeContext(context);
  });

  test("a retry after a lost answer gets the stored result", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const token = await signIn(page, newUser("lost"));
    const answers: Response[] = [];
    page.on("response", (response) => {
      if (response.request().method() === "POST" && response.url().endsWith("/api/cards")) answers.push(response);
    });
    let first = true;
    await page.route("**/api/cards", async (route) => {
      if (route.request().method() !== "POST" || !first) return route.continue();
      first = false;
      await route.fetch(); // applied on the server...
      await route.abort("connectionreset"); // ...and the answer lost on the way back
    });
    await addCard(page, { title: "Answer lost" });
    await awaitStatus(page, SYNCED);

    expect(answers.length).toBe(1);
    expect(answers[0]!.status()).toBe(201);
    expect(await answers[0]!.headerValue("idempotent-replayed")).toBe("true");
    expect(await onlyCard(token)).toMatchObject({ title: "Answer lost", version: 1 });
    await closeContext(context);
  });

  test("idempotency keys are unique per operation", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const token = await signIn(page, newUser("keys"));
    const writes = recordWrites(page);
    await addCard(page, { title: "Key one" });
    await addCard(page, { title: "Key two" });
    await awaitStatus(page, SYNCED);
    await editCard(page, "Key one", { title: "Key one edited" });
    await awaitStatus(page, SYNCED);
    await deleteCard(page, "Key two");
    await awaitStatus(page, SYNCED);

    expect(writes.map((w) => w.method)).toEqual(["POST", "POST", "PATCH", "DELETE"]);
    const keys = writes.map((w) => w.key);
    expect(keys.every((k) => typeof k === "string" && /^[0-9a-f-]{36}$/.test(k))).toBe(true);
    expect(new Set(keys).size).toBe(4);
    expect((await serverCards(token)).map((c) => [c.title, c.version])).toEqual([["Key one edited", 2]]);
    await closeContext(context);
  });

  test("the server deduplicates the same request sent twice", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const token = await signIn(page, newUser("dedup"));
    const answers: { status: number; replayed: string | undefined; id: string }[] = [];
    // The browser's one create goes to the server twice (a duplicating proxy); the page gets the second answer.
    await page.route("**/api/cards", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      for (let i = 0; i < 2; i++) {
        const response = await route.fetch();
        answers.push({ status: response.status(), replayed: response.headers()["idempotent-replayed"], id: ((await response.json()) as { id: string }).id });
        if (i === 1) await route.fulfill({ response });
      }
    });
    await addCard(page, { title: "Sent twice" });
    await awaitStatus(page, SYNCED);

    expect(answers.map((a) => a.status)).toEqual([201, 201]);
    expect(answers[0]!.replayed).toBeUndefined();
    expect(answers[1]!.replayed).toBe("true");
    expect(answers[1]!.id).toBe(answers[0]!.id);
    const card = await onlyCard(token);
    expect(card).toMatchObject({ id: answers[0]!.id, title: "Sent twice", version: 1 });
    await closeContext(context);
  });
});
