import { describe, expect, it } from "vitest";
import { newFields } from "../src/card.js";
import { openSyncDatabase } from "../src/database.js";
import { SyncQueue } from "../src/queue.js";
import { freshDatabaseName } from "./helpers.js";

const note = newFields({ type: "md-note", content: "# hello" });

async function queueOn(name: string, now = () => 5_000) {
  const db = await openSyncDatabase(name);
  return { db, queue: new SyncQueue(db, { now, random: () => 0.5 }) };
}

function create(cardId: string) {
  return { type: "CREATE_CARD" as const, cardId, payload: note, baseVersion: 0, baseFields: null };
}

function update(cardId: string, title: string, baseVersion = 1) {
  return { type: "UPDATE_CARD" as const, cardId, payload: { title }, baseVersion, baseFields: note };
}

describe("SyncQueue", () => {
  it("bases a new update on the newer cached version only when the fields it changes did not change there", async () => {
    // The caller read version 2; the answer to its previous change (version 3, the fields the user
    // saw) was recorded before this update was queued. Sent on 2, it would be a conflict with the
    // user's own edit.
    const { db, queue } = await queueOn(freshDatabaseName());
    await db.put("cards", { id: "a", type: "md-note", content: "# hello", version: 3, deleted: false } as never);
    const id = (await queue.enqueue(update("a", "newer", 2)))!;
    expect((await queue.get(id))!.baseVersion).toBe(3);

    // Version 3 came from another device and changed the title this update changes: sent on 3,
    // the update would overwrite it unseen. It stays on 2, the version the user saw (a 409).
    const { db: db3, queue: queue3 } = await queueOn(freshDatabaseName());
    await db3.put("cards", { id: "c", type: "md-note", content: "# hello", title: "theirs", version: 3, deleted: false } as never);
    const onSeen = (await queue3.enqueue(update("c", "mine", 2)))!;
    expect((await queue3.get(onSeen))!.baseVersion).toBe(2);
    // Another device changed only a field this update leaves out: nothing unseen is overwritten.
    await db3.put("cards", { id: "d", type: "md-note", content: "# theirs", version: 3, deleted: false } as never);
    const onNewer = (await queue3.enqueue(update("d", "mine", 2)))!;
    expect((await queue3.get(onNewer))!.baseVersion).toBe(3);

    // Behind an earlier operation of the card, it keeps the given base: the earlier one's answer moves it.
    const { db: db2, queue: queue2 } = await queueOn(freshDatabaseName());
    await db2.put("cards", { id: "b", type: "md-note", version: 3, deleted: false } as never);
    const first = (await queue2.enqueue(update("b", "first", 3)))!;
    await queue2.markProcessing(first);
    const second = (await queue2.enqueue(update("b", "second", 3)))!;
    expect(second).not.toBe(first);
    expect((await queue2.get(second))!.baseVersion).toBe(3);
  });

  it("gives every operation its own idempotency key, pending, in queue order", async () => {
    const { queue } = await queueOn(freshDatabaseName());
    await queue.enqueue(create("a"));
    await queue.enqueue(create("b"));
    const ops = await queue.getAll();
    expect(ops.map((op) => op.cardId)).toEqual(["a", "b"]);
    expect(ops.map((op) => op.status)).toEqual(["pending", "pending"]);
    expect(ops[0].idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(ops[0].idempotencyKey).not.toBe(ops[1].idempotencyKey);
    expect(ops[1].seq).toBeGreaterThan(ops[0].seq);
    expect(await queue.getPending()).toHaveLength(2);
  });

  it("keeps the operation and its key across a reload (a new queue on the same database)", async () => {
    const name = freshDatabaseName();
    const first = await queueOn(name);
    const id = (await first.queue.enqueue(create("a")))!;
    await first.queue.markProcessing(id);
    const key = (await first.queue.get(id))!.idempotencyKey;
    first.db.close();

    const second = await queueOn(name);
    const after = await second.queue.getAll();
    expect(after).toHaveLength(1);
    expect(after[0].idempotencyKey).toBe(key);
    // It was in flight when the page went away: still to be sent.
    expect((await second.queue.getPending()).map((op) => op.id)).toEqual([id]);
  });

  it("schedules a transient failure again with growing backoff, then fails it after maxRetries retries", async () => {
    let now = 10_000;
    const { queue } = await queueOn(freshDatabaseName(), () => now);
    const id = (await queue.enqueue(create("a")))!;
    const waits: number[] = [];
    for (let retry = 1; retry <= 3; retry++) {
      await queue.markProcessing(id);
      const op = (await queue.markFailed(id, "HTTP 500"))!;
      expect(op.status).toBe("retrying");
      expect(op.retries).toBe(retry);
      waits.push(op.nextRetryAt! - now);
      now = op.nextRetryAt!;
    }
    // random 0.5 of a bound of 1 s, 2 s, 4 s.
    expect(waits).toEqual([500, 1000, 2000]);
    await queue.markProcessing(id);
    const failed = (await queue.markFailed(id, "HTTP 500"))!;
    expect(failed.status).toBe("failed");
    expect(failed.lastError).toContain("gave up after 4 sends");
    expect((await queue.getFailed()).map((op) => op.id)).toEqual([id]);
    expect(await queue.getRetrying()).toEqual([]);
  });

  it("takes the server's Retry-After over the backoff", async () => {
    const { queue } = await queueOn(freshDatabaseName(), () => 0);
    const id = (await queue.enqueue(create("a")))!;
    expect((await queue.markFailed(id, "HTTP 503", { retryAfterMs: 5000 }))!.nextRetryAt).toBe(5000);
  });

  it("fails a permanent error at once, without spending retries", async () => {
    const { queue } = await queueOn(freshDatabaseName());
    const id = (await queue.enqueue(create("a")))!;
    const op = (await queue.markFailed(id, "HTTP 400", { permanent: true }))!;
    expect(op.status).toBe("failed");
    expect(op.retries).toBe(0);
  });

  it("retries a failed operation with the same key and a fresh budget; Retry All retries every one", async () => {
    const { queue } = await queueOn(freshDatabaseName());
    const a = (await queue.enqueue(create("a")))!;
    const b = (await queue.enqueue(create("b")))!;
    await queue.enqueue(create("c"));
    const key = (await queue.get(a))!.idempotencyKey;
    await queue.markFailed(a, "HTTP 400", { permanent: true });
    await queue.markFailed(b, "HTTP 422", { permanent: true });

    expect(await queue.retryOperation(a)).toBe(true);
    const retried = (await queue.get(a))!;
    expect(retried).toMatchObject({ status: "pending", retries: 0, idempotencyKey: key });
    expect(retried.lastError).toBeUndefined();
    // Only failed operations are retried.
    expect(await queue.retryOperation(a)).toBe(false);

    await queue.markFailed(a, "HTTP 400", { permanent: true });
    expect(await queue.retryAll()).toBe(2);
    expect(await queue.getFailed()).toEqual([]);
  });

  it("merges updates of a card that were never sent into one operation, and never one that was", async () => {
    const { queue } = await queueOn(freshDatabaseName());
    const first = await queue.enqueue(update("a", "one"));
    expect(await queue.enqueue({ ...update("a", "two"), payload: { notes: "n" } })).toBe(first);
    let ops = await queue.getAll();
    expect(ops).toHaveLength(1);
    expect(ops[0].payload).toEqual({ title: "one", notes: "n" });

    await queue.markProcessing(first!);
    const second = await queue.enqueue(update("a", "three"));
    expect(second).not.toBe(first);
    ops = await queue.getAll();
    expect(ops.map((op) => op.payload)).toEqual([{ title: "one", notes: "n" }, { title: "three" }]);
  });

  it("folds an update into its card's create while the create was never sent", async () => {
    const { queue } = await queueOn(freshDatabaseName());
    const id = await queue.enqueue(create("a"));
    expect(await queue.enqueue({ ...update("a", "Title", 0), payload: { title: "Title", tags: ["x"] } })).toBe(id);
    const [op] = await queue.getAll();
    expect(op.payload).toMatchObject({ type: "md-note", content: "# hello", title: "Title", tags: ["x"] });
  });

  it("drops every operation of a card deleted before its create was sent", async () => {
    const { queue } = await queueOn(freshDatabaseName());
    await queue.enqueue(create("a"));
    await queue.enqueue(create("b"));
    expect(await queue.enqueue({ type: "DELETE_CARD", cardId: "a", payload: null, baseVersion: 0, baseFields: note })).toBeNull();
    expect((await queue.getAll()).map((op) => op.cardId)).toEqual(["b"]);
  });

  it("removes exactly the operation named, whatever its status, and leaves its card's others queued", async () => {
    const { queue } = await queueOn(freshDatabaseName());
    const createA = (await queue.enqueue(create("a")))!;
    await queue.markProcessing(createA);
    const updateA = (await queue.enqueue(update("a", "later")))!;
    const createB = (await queue.enqueue(create("b")))!;
    await queue.markFailed(createB, "400", { permanent: true });
    await queue.remove(createA);
    expect((await queue.getAll()).map((op) => op.id)).toEqual([updateA, createB]);
    expect(await queue.get(createA)).toBeUndefined();
    await queue.remove(createB);
    expect(await queue.counts()).toEqual({ pending: 1, processing: 0, retrying: 0, failed: 0, conflict: 0 });
    // Removing what is already gone changes nothing.
    await queue.remove(createA);
    expect((await queue.getAll()).map((op) => op.id)).toEqual([updateA]);
  });

  it("discards a failed create together with its card's later operations, only when failed", async () => {
    const { queue } = await queueOn(freshDatabaseName());
    const a = (await queue.enqueue(create("a")))!;
    await queue.markProcessing(a);
    await queue.enqueue(update("a", "later", 0));
    await queue.enqueue(create("b"));
    await expect(queue.discard(a)).rejects.toThrow(/only failed/);
    await queue.markFailed(a, "HTTP 400", { permanent: true });
    expect((await queue.discard(a)).map((op) => op.type)).toEqual(["CREATE_CARD", "UPDATE_CARD"]);
    expect((await queue.getAll()).map((op) => op.cardId)).toEqual(["b"]);
  });
});
