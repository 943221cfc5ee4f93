import { describe, expect, it } from "vitest";
import type { Resolution } from "../src/merge.js";
import { useServer, keepMine, threeWayMerge } from "../src/merge.js";
import { FakeServer } from "./fake-server.js";
import { TestClock, freshDatabaseName, openLibrary } from "./helpers.js";

/** Waits (real time, up to 2 s) for what a background task of the library does. */
function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = async () => {
      if (await condition()) return resolve();
      if (Date.now() - started > 2000) return reject(new Error("timed out waiting"));
      setTimeout(check, 5);
    };
    void check();
  });
}

describe("PawkitSync against the card API's rules", () => {
  it("shows a change at once and sends it with its key: rapid operations end as one card in its final state", async () => {
    const server = new FakeServer();
    const sync = await openLibrary(server, new TestClock(), freshDatabaseName());
    const card = await sync.create({ type: "md-note", content: "# one" });
    expect(card.syncState).toBe("pending");
    for (let i = 2; i <= 5; i++) await sync.update(card.id, { content: `# ${i}` });
    expect((await sync.card(card.id))!.fields.content).toBe("# 5");
    expect(server.requests).toHaveLength(0);

    await sync.drainNow();
    expect([...server.cards.values()]).toHaveLength(1);
    expect(server.cards.get(card.id)).toMatchObject({ content: "# 5", version: 1 });
    expect(await sync.card(card.id)).toMatchObject({ syncState: "synced", version: 1 });
    expect(await sync.status()).toMatchObject({ pending: 0, retrying: 0, failed: 0 });
  });

  it("sends a card's operations in order, each on the version the one before produced", async () => {
    const server = new FakeServer();
    const clock = new TestClock();
    const sync = await openLibrary(server, clock, freshDatabaseName());
    const card = await sync.create({ type: "url", url: "https://example.com" });
    await sync.drainNow();
    await sync.update(card.id, { title: "First" });
    server.failNext(1, 500);
    await sync.drainNow();
    // The second edit cannot merge into the first (already sent): it waits behind it.
    await sync.update(card.id, { tags: ["read"] });
    const other = await sync.create({ type: "text-note", content: "other card" });
    await sync.drainNow();
    // The retrying first edit holds back its card's second edit, never another card's create.
    expect(server.cards.has(other.id)).toBe(true);
    expect(server.cards.get(card.id)!.version).toBe(1);

    clock.advance(60_000);
    await sync.drainNow();
    const writes = server.writes.filter((w) => w.path.includes(card.id) || w.body?.id === card.id);
    expect(writes.map((w) => [w.method, w.body?.version ?? null])).toEqual([
      ["POST", null],
      ["PATCH", 1],
      ["PATCH", 1],
      ["PATCH", 2],
    ]);
    expect(server.cards.get(card.id)).toMatchObject({ title: "First", tags: ["read"], version: 3 });
  });

  it("reuses the operation's key after a reload, so a lost answer is replayed, not applied twice", async () => {
    const server = new FakeServer();
    const name = freshDatabaseName();
    const clock = new TestClock();
    const first = await openLibrary(server, clock, name);
    const card = await first.create({ type: "md-note", content: "once" });
    server.dropAnswerAfterApply();
    await first.drainNow();
    const key = server.writes[0].key;
    expect(server.cards.size).toBe(1);
    first.close();

    clock.advance(60_000);
    const reloaded = await openLibrary(server, clock, name);
    expect((await reloaded.card(card.id))!.fields.content).toBe("once");
    await reloaded.drainNow();
    expect(server.writes.map((w) => w.key)).toEqual([key, key]);
    expect(server.cards.size).toBe(1);
    expect(await reloaded.card(card.id)).toMatchObject({ syncState: "synced", version: 1 });
  });

  it("retries a 500 three times with growing waits, then fails it and keeps the change", async () => {
    const server = new FakeServer();
    const clock = new TestClock();
    const sync = await openLibrary(server, clock, freshDatabaseName(), { random: () => 0.999 });
    const card = await sync.create({ type: "md-note", content: "kept" });
    server.failNext(4, 500);
    const waits: number[] = [];
    for (let send = 1; send <= 4; send++) {
      const report = await sync.drainNow();
      expect(report.sent).toBe(1);
      if (report.nextRetryAt !== null) {
        waits.push(report.nextRetryAt - clock.time);
        // Not due yet: nothing is sent.
        expect((await sync.drainNow()).sent).toBe(0);
        clock.time = report.nextRetryAt;
      }
    }
    expect(server.writes).toHaveLength(4);
    expect(waits).toEqual([999, 1998, 3996]);
    expect(await sync.status()).toMatchObject({ pending: 0, retrying: 0, failed: 1 });
    expect(await sync.card(card.id)).toMatchObject({ syncState: "failed", fields: { content: "kept" } });
    expect((await sync.drainNow()).sent).toBe(0);
  });

  it("fails a 400 at once, and Retry All sends it again with the same key", async () => {
    const server = new FakeServer();
    const sync = await openLibrary(server, new TestClock(), freshDatabaseName());
    await sync.create({ type: "md-note", content: "a" });
    server.failNext(1, 400);
    const report = await sync.drainNow();
    expect(report.nextRetryAt).toBeNull();
    expect(server.writes).toHaveLength(1);
    expect(await sync.status()).toMatchObject({ failed: 1 });
    const [failed] = await sync.queue.getFailed();
    expect(failed.lastError).toContain("HTTP 400");

    expect(await sync.retryAll()).toBe(1);
    await sync.drainNow();
    expect(server.writes.map((w) => w.key)).toEqual([failed.idempotencyKey, failed.idempotencyKey]);
    expect(await sync.status()).toMatchObject({ pending: 0, failed: 0 });
  });

  it("retries a network error and honours 503's Retry-After", async () => {
    const server = new FakeServer();
    const clock = new TestClock();
    const sync = await openLibrary(server, clock, freshDatabaseName());
    await sync.create({ type: "md-note", content: "a" });
    server.networkErrorNext();
    expect((await sync.drainNow()).nextRetryAt).toBe(clock.time + 500);
    clock.advance(500);
    server.failNext(1, 503, { "Retry-After": "5" });
    expect((await sync.drainNow()).nextRetryAt).toBe(clock.time + 5000);
    clock.advance(5000);
    await sync.drainNow();
    expect(server.cards.size).toBe(1);
  });

  it("gives up on a request unanswered within requestTimeoutMs and retries it with the same key", async () => {
    const server = new FakeServer();
    const clock = new TestClock();
    // The first send never settles, whatever its abort signal says (a stalled connection, or a
    // fetch that ignores the signal); later sends reach the server.
    const sent: (string | null)[] = [];
    const fetch: typeof globalThis.fetch = (input, init) => {
      sent.push(new Headers(init?.headers).get("Idempotency-Key"));
      return sent.length === 1 ? new Promise<Response>(() => {}) : server.fetch(input, init);
    };
    const sync = await openLibrary(server, clock, freshDatabaseName(), { fetch, requestTimeoutMs: 50 });
    const card = await sync.create({ type: "md-note", content: "patient" });
    const first = await sync.drainNow();
    expect(first.nextRetryAt).toBe(clock.time + 500);
    expect(await sync.operations()).toMatchObject([{ status: "retrying", retries: 1, lastError: expect.stringContaining("no answer in time") }]);
    clock.advance(500);
    await sync.drainNow();
    expect(sent).toHaveLength(2);
    expect(sent[1]).toBe(sent[0]);
    expect(server.writes.map((w) => w.key)).toEqual([sent[0]]);
    expect(await sync.card(card.id)).toMatchObject({ syncState: "synced", version: 1 });
  });

  it("drains when a live-stream event arrives: a retry that fell due is sent then, not at the next local change", async () => {
    const server = new FakeServer();
    const clock = new TestClock();
    let stream: ReadableStreamDefaultController<Uint8Array> | null = null;
    const fetch: typeof globalThis.fetch = async (input, init) => {
      if (!String(input).includes("/api/cards/changes/stream")) return server.fetch(input, init);
      const body = new ReadableStream<Uint8Array>({ start: (c) => void (stream = c) });
      return new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } });
    };
    const sync = await openLibrary(server, clock, freshDatabaseName(), { fetch, liveStream: true, sleep: () => new Promise(() => {}) });
    const card = await sync.create({ type: "md-note", content: "waits for a trigger" });
    // The start-up drain's send is refused for an hour: its retry timer will not fire in this test.
    server.failNext(1, 503, { "Retry-After": "3600" });
    sync.start();
    await until(async () => stream !== null && (await sync.operations())[0]?.status === "retrying");
    const sendsBefore = server.writes.length;
    // The hour passes (on the test's clock); nothing local happens, no timer fires, no drain.
    clock.advance(3_600_000);
    expect(server.writes).toHaveLength(sendsBefore);
    // Another device's change arrives by the stream: the library drains, and the due retry goes.
    stream!.enqueue(new TextEncoder().encode('id: c1\nevent: changes\ndata: {"items":[{"id":"elsewhere","type":"md-note","version":1}]}\n\n'));
    await until(async () => (await sync.card(card.id))?.syncState === "synced");
    expect(server.writes.map((w) => w.key)).toEqual([server.writes[0].key, server.writes[0].key]);
    expect((await sync.cards()).map((c) => c.id).sort()).toEqual([card.id, "elsewhere"].sort());
    sync.close();
  });

  it("follows a 202 to the command's decision, waiting as Retry-After says", async () => {
    const server = new FakeServer();
    const clock = new TestClock();
    const sync = await openLibrary(server, clock, freshDatabaseName());
    const card = await sync.create({ type: "md-note", content: "slow" });
    server.decideLater();
    const start = clock.time;
    await sync.drainNow();
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /api/cards", "GET /api/commands/cmd-1", "GET /api/commands/cmd-1"]);
    expect(clock.time - start).toBe(3000);
    expect(await sync.card(card.id)).toMatchObject({ syncState: "synced", version: 1 });
  });

  it("stops without spending a retry when the browser is offline", async () => {
    const server = new FakeServer();
    let online = false;
    const sync = await openLibrary(server, new TestClock(), freshDatabaseName(), { isOnline: () => online });
    await sync.create({ type: "md-note", content: "a" });
    expect(await sync.drainNow()).toMatchObject({ sent: 0, offline: true });
    expect(server.requests).toHaveLength(0);
    online = true;
    await sync.drainNow();
    expect(server.cards.size).toBe(1);
  });

  describe("on 409", () => {
    async function conflicted(resolver: Parameters<typeof openLibrary>[3] extends infer O ? O : never) {
      const server = new FakeServer();
      const sync = await openLibrary(server, new TestClock(), freshDatabaseName(), resolver);
      const card = await sync.create({ type: "url", url: "https://example.com", title: "Base", tags: ["a"] });
      await sync.drainNow();
      server.edit(card.id, { notes: "theirs", title: "Theirs title", tags: ["a", "theirs"] });
      await sync.update(card.id, { title: "My title", tags: ["a", "mine"] });
      return { server, sync, card };
    }

    it("Keep My Changes: sends my change again on the server's version, with a new key", async () => {
      const { server, sync, card } = await conflicted({ resolver: keepMine });
      await sync.drainNow();
      const patches = server.writes.filter((w) => w.method === "PATCH");
      expect(patches.map((w) => w.body?.version)).toEqual([1, 2]);
      expect(patches[0].key).not.toBe(patches[1].key);
      expect(server.cards.get(card.id)).toMatchObject({ title: "My title", notes: "theirs", tags: ["a", "mine"], version: 3 });
    });

    it("Use Server Version: drops my change and shows the server's card", async () => {
      const { server, sync, card } = await conflicted({ resolver: useServer });
      const resolved: string[] = [];
      sync.subscribe((e) => e.type === "conflict-resolved" && resolved.push(e.conflict.resolution));
      await sync.drainNow();
      expect(server.writes.filter((w) => w.method === "PATCH")).toHaveLength(1);
      expect(await sync.card(card.id)).toMatchObject({ syncState: "synced", version: 2, fields: { title: "Theirs title" } });
      expect(resolved).toEqual(["use-server"]);
    });

    it("Merge Both: sends only my fields, tags merged, the dialog asked where both changed one", async () => {
      const asked: string[] = [];
      const { server, sync, card } = await conflicted({
        resolver: threeWayMerge({ chooseField: (c) => (asked.push(c.field), "mine") }),
      });
      await sync.drainNow();
      expect(asked).toEqual(["title"]);
      const resent = server.writes.filter((w) => w.method === "PATCH")[1];
      expect(resent.body).toEqual({ title: "My title", tags: ["a", "theirs", "mine"], version: 2 });
      expect(server.cards.get(card.id)).toMatchObject({ title: "My title", notes: "theirs", tags: ["a", "theirs", "mine"] });
    });

    it("merges never-sent updates of one card as one change against the base the first was made on", async () => {
      const seen: Resolution[] = [];
      const { server, sync, card } = await conflicted({
        resolver: async (conflict) => {
          const resolution = await threeWayMerge()(conflict);
          seen.push(resolution);
          return resolution;
        },
      });
      await sync.update(card.id, { notes: "mine too" });
      expect(await sync.operations()).toHaveLength(1);
      await sync.drainNow();
      expect(seen).toEqual([{ kind: "merge", patch: { title: "My title", tags: ["a", "theirs", "mine"], notes: "mine too" } }]);
      expect(server.cards.get(card.id)).toMatchObject({ title: "My title", notes: "mine too", version: 3 });
    });

    it("keeps the change, failed, when the resolver throws", async () => {
      const { sync, card } = await conflicted({ resolver: () => { throw new Error("dialog closed"); } });
      await sync.drainNow();
      expect(await sync.card(card.id)).toMatchObject({ syncState: "failed", fields: { title: "My title" } });
    });
  });

  describe("an edit made on a card that changed elsewhere while the user looked at it", () => {
    async function seenThenChangedElsewhere(resolver: Parameters<typeof openLibrary>[3] = {}) {
      const server = new FakeServer();
      const sync = await openLibrary(server, new TestClock(), freshDatabaseName(), resolver);
      const created = await sync.create({ type: "md-note", title: "Shared", notes: "first notes", tags: ["base"] });
      await sync.drainNow();
      // The edit form opens on version 1...
      const seen = (await sync.card(created.id))!;
      expect(seen.version).toBe(1);
      // ...and another device's change (version 2) arrives by the feed while it is open.
      server.edit(created.id, { title: "Desktop title", tags: ["base", "desktop"] });
      expect(await sync.pull()).toBe(1);
      return { server, sync, seen };
    }

    it("is sent on the version the user saw: a 409 for the resolver, never a PATCH on the new version that reverts it", async () => {
      const conflicts: unknown[] = [];
      const { server, sync, seen } = await seenThenChangedElsewhere({
        resolver: (conflict) => (conflicts.push(conflict), { kind: "use-server" }),
      });
      // The form sends every field it shows; the user changed the title and the notes.
      await sync.update(seen.id, { title: "Mobile title", notes: "mobile notes", tags: seen.fields.tags }, { base: seen });
      await sync.drainNow();
      const patches = server.writes.filter((w) => w.method === "PATCH");
      expect(patches.map((w) => w.body)).toEqual([{ title: "Mobile title", notes: "mobile notes", version: 1 }]);
      expect(conflicts).toMatchObject([{ base: { title: "Shared", tags: ["base"] }, mine: { title: "Mobile title", notes: "mobile notes" },
        theirs: { title: "Desktop title", version: 2 } }]);
      expect(server.cards.get(seen.id)).toMatchObject({ title: "Desktop title", notes: "first notes", tags: ["base", "desktop"], version: 2 });
    });

    it("a three-way merge keeps the other device's fields where only it changed them", async () => {
      const { server, sync, seen } = await seenThenChangedElsewhere({ resolver: threeWayMerge({ chooseField: () => "mine" }) });
      await sync.update(seen.id, { title: "Mobile title", notes: "mobile notes", tags: seen.fields.tags }, { base: seen });
      await sync.drainNow();
      expect(server.cards.get(seen.id)).toMatchObject({ title: "Mobile title", notes: "mobile notes", tags: ["base", "desktop"], version: 3 });
    });

    it("sends only the fields the user changed, on the new version, when the other device changed none of them", async () => {
      const { server, sync, seen } = await seenThenChangedElsewhere({ resolver: () => { throw new Error("no conflict expected"); } });
      await sync.update(seen.id, { title: seen.fields.title, notes: "mobile notes", tags: seen.fields.tags }, { base: seen });
      await sync.drainNow();
      expect(server.writes.filter((w) => w.method === "PATCH").map((w) => w.body)).toEqual([{ notes: "mobile notes", version: 2 }]);
      expect(server.cards.get(seen.id)).toMatchObject({ title: "Desktop title", notes: "mobile notes", tags: ["base", "desktop"], version: 3 });
    });

    it("is no conflict when the newer version is the user's own earlier change, answered after the form opened", async () => {
      const server = new FakeServer();
      const sync = await openLibrary(server, new TestClock(), freshDatabaseName(), { resolver: () => { throw new Error("no conflict expected"); } });
      const created = await sync.create({ type: "md-note", title: "Rapid" });
      await sync.drainNow();
      await sync.update(created.id, { title: "Rapid edit 1" });
      // The form opens on the first edit, still queued on version 1; its answer (version 2) lands.
      const seen = (await sync.card(created.id))!;
      expect(seen).toMatchObject({ version: 1, fields: { title: "Rapid edit 1" } });
      await sync.drainNow();
      await sync.update(created.id, { title: "Rapid edit 2" }, { base: seen });
      await sync.drainNow();
      expect(server.writes.filter((w) => w.method === "PATCH").map((w) => w.body)).toEqual([
        { title: "Rapid edit 1", version: 1 }, { title: "Rapid edit 2", version: 2 }]);
      expect(await sync.card(created.id)).toMatchObject({ syncState: "synced", version: 3, fields: { title: "Rapid edit 2" } });
    });
  });

  it("pulls other devices' changes, tombstones included, and resumes from its cursor", async () => {
    const server = new FakeServer();
    const sync = await openLibrary(server, new TestClock(), freshDatabaseName(), { pageSize: 1 });
    const a = await sync.create({ type: "md-note", content: "a" });
    const b = await sync.create({ type: "md-note", content: "b" });
    await sync.drainNow();
    server.edit(a.id, { content: "a elsewhere" });
    server.edit(b.id, { deleted: true });
    expect(await sync.pull()).toBe(2);
    expect((await sync.cards()).map((c) => c.fields.content)).toEqual(["a elsewhere"]);
    const reads = server.requests.filter((r) => r.method === "GET").length;
    expect(await sync.pull()).toBe(0);
    expect(server.requests.filter((r) => r.method === "GET").length - reads).toBe(1);
    expect(server.requests.every((r) => r.authorization === "Bearer test-token")).toBe(true);
  });
});
