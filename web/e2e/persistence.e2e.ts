import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  SYNCED, closeContext, deleteCard, addCard, awaitStatus, baseUrl, cardItem, editCard, eventually, launchPersistent, newUser, onlyCard,
  recordWrites, serverCards, signIn, sleep, tokenOf, browserPerFile,
} from "./harness.js";

// Phase 1 of the seed's plan, "Testing Completed": the IndexedDB queue keeps changes across reloads.
const browser = browserPerFile();

describe("phase 1: the queue survives the page", () => {
  test("card creation survives a hard refresh", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const token = await signIn(page, newUser("refresh"));
    // The create never leaves this page: its request is held until the page goes away.
    let held = 0;
    await page.route("**/api/cards", (route) => {
      if (route.request().method() === "POST") held++;
      else void route.continue();
    });
    await addCard(page, { title: "Survives refresh", notes: "typed before the reload" });
    await cardItem(page, "Survives refresh").waitFor();
    await eventually(async () => expect(held).toBe(1));
    expect(await serverCards(token)).toEqual([]);

    await page.unroute("**/api/cards");
    await page.reload({ waitUntil: "load" });

    await cardItem(page, "Survives refresh").waitFor();
    await awaitStatus(page, SYNCED);
    const card = await onlyCard(token);
    expect(card).toMatchObject({ title: "Survives refresh", notes: "typed before the reload", version: 1 });
    await closeContext(context);
  });

  test("card updates survive closing the browser", async () => {
    const profile = mkdtempSync(join(tmpdir(), "pawkit-e2e-profile-"));
    try {
      let context = await launchPersistent(profile);
      let page = context.pages()[0] ?? (await context.newPage());
      const token = await signIn(page, newUser("close"));
      await addCard(page, { title: "Before close" });
      await awaitStatus(page, SYNCED);
      // Offline, so the update can only be in the queue when the browser closes.
      await context.setOffline(true);
      await editCard(page, "Before close", { title: "Edited, then closed", notes: "kept on disk" });
      await awaitStatus(page, { pending: 1, retrying: 0, failed: 0 });
      await closeContext(context);
      expect(await onlyCard(token)).toMatchObject({ title: "Before close", version: 1 });

      context = await launchPersistent(profile);
      page = context.pages()[0] ?? (await context.newPage());
      await page.goto(baseUrl);
      await cardItem(page, "Edited, then closed").waitFor();
      await awaitStatus(page, SYNCED);
      expect(await onlyCard(token)).toMatchObject({ title: "Edited, then closed", notes: "kept on disk", version: 2 });
      await closeContext(context);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  });

  test("card deletions stay deleted after refresh (no zombie cards)", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const token = await signIn(page, newUser("delete"));
    await addCard(page, { title: "Keep me" });
    await addCard(page, { title: "Delete me" });
    await awaitStatus(page, SYNCED);
    expect((await serverCards(token)).map((c) => `${c.title} v${c.version}`).sort()).toEqual(["Delete me v1", "Keep me v1"]);

    await deleteCard(page, "Delete me");
    // Reload at once, while the deletion may still be on its way.
    await page.reload();
    await cardItem(page, "Keep me").waitFor();
    expect(await cardItem(page, "Delete me").count()).toBe(0);
    await awaitStatus(page, SYNCED);
    expect((await serverCards(token)).map((c) => `${c.title} v${c.version}`)).toEqual(["Keep me v1"]);

    // Again, after the change feed and the live stream had their say.
    await page.reload();
    await cardItem(page, "Keep me").waitFor();
    await sleep(1000);
    expect(await cardItem(page, "Delete me").count()).toBe(0);
    expect((await serverCards(token)).map((c) => `${c.title} v${c.version}`)).toEqual(["Keep me v1"]);
    await closeContext(context);
  });

  test("multiple rapid operations are handled correctly", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    const token = await signIn(page, newUser("rapid"));
    const writes = recordWrites(page);
    for (let i = 1; i <= 5; i++) await addCard(page, { title: `Rapid ${i}` });
    for (let i = 1; i <= 4; i++) await editCard(page, i === 1 ? "Rapid 1" : `Rapid 1 edit ${i - 1}`, { title: `Rapid 1 edit ${i}` });
    await deleteCard(page, "Rapid 3");
    await addCard(page, { title: "Rapid 6" });
    await awaitStatus(page, SYNCED);

    const cards = await serverCards(token);
    expect(cards.map((c) => c.title).sort()).toEqual(["Rapid 1 edit 4", "Rapid 2", "Rapid 4", "Rapid 5", "Rapid 6"]);
    // Each create went out once, except that Rapid 3's is dropped with its deletion when it was
    // still unsent (then the server never hears of that card); the edits were one request or a few.
    const posts = writes.filter((w) => w.method === "POST");
    const deletes = writes.filter((w) => w.method === "DELETE").length;
    expect(deletes).toBeLessThanOrEqual(1);
    expect(posts.length).toBe(5 + deletes);
    expect(new Set(posts.map((w) => w.key)).size).toBe(posts.length);
    const edited = cards.find((c) => c.title === "Rapid 1 edit 4")!;
    const patches = writes.filter((w) => w.method === "PATCH").length;
    expect(patches).toBeGreaterThanOrEqual(1);
    expect(patches).toBeLessThanOrEqual(4);
    expect(edited.version).toBe(1 + patches);
    expect(cards.filter((c) => c !== edited).every((c) => c.version === 1)).toBe(true);
    await closeContext(context);
  });

  test("the Refresh Metadata button fetches the page again", async () => {
    // A page on this machine (the stack's enricher may fetch 127.0.0.1 in these tests).
    let pageTitle = "First title";
    const site: Server = createServer((_, res) => {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(`<html><head><title>${pageTitle}</title><meta property="og:site_name" content="E2E site"></head><body>hi</body></html>`);
    });
    await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
    const address = site.address();
    const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/page`;
    try {
      const context = await browser().newContext();
      const page = await context.newPage();
      const token = await signIn(page, newUser("metadata"));
      await addCard(page, { title: "Local page", url });
      await eventually(async () => expect((await onlyCard(token)).metadata?.title).toBe("First title"), 30_000);
      const before = (await onlyCard(token)).version;

      pageTitle = "Second title";
      await cardItem(page, "Local page").getByRole("button", { name: "Refresh Metadata" }).click();

      await eventually(async () => expect((await onlyCard(token)).metadata?.title).toBe("Second title"), 30_000);
      await cardItem(page, "Local page").getByText(/Metadata: ok .*Second title/).waitFor();
      const card = await onlyCard(token);
      // The refresh itself, then the enricher's answer: the card moved on, and it is still one card.
      expect(card.version).toBeGreaterThan(before);
      expect(card.metadataStatus?.state).toBe("ok");
      expect(await tokenOf(page)).toBe(token);
      await closeContext(context);
    } finally {
      site.close();
    }
  });
});
