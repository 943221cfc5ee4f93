import { describe, expect, it } from "vitest";
import type { LockManagerLike } from "../src/tab-coordinator.js";
import { FakeServer } from "./fake-server.js";
import { TestClock, freshDatabaseName, openLibrary } from "./helpers.js";

/** Web Locks' exclusive mode, in one process: requests wait in line; a lock is held until its callback's promise settles. */
class InProcessLocks implements LockManagerLike {
  private tail = new Map<string, Promise<unknown>>();
  request(name: string, callback: (lock: unknown) => Promise<unknown>): Promise<unknown> {
    const previous = this.tail.get(name) ?? Promise.resolve();
    const held = previous.then(() => callback({ name }));
    this.tail.set(name, held.catch(() => {}));
    return held;
  }
}

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

describe("tabs", () => {
  it("one tab drains; another tab's changes reach it and every tab sees them; the next tab leads when it closes", async () => {
    const server = new FakeServer();
    const clock = new TestClock();
    const name = freshDatabaseName();
    const locks = new InProcessLocks();
    // Two tabs: the same database, one lock manager, a channel each (as BroadcastChannel is per tab).
    const tab = () => openLibrary(server, clock, name, { locks, channel: new BroadcastChannel(`test-${name}`) });
    const first = await tab();
    const second = await tab();
    let secondHeard = 0;
    second.subscribe((e) => e.type === "changed" && secondHeard++);
    first.start();
    second.start();
    await until(async () => (await first.status()).leader);
    expect((await second.status()).leader).toBe(false);

    // A change made in the second tab is sent by the first.
    const card = await second.create({ type: "md-note", content: "from the second tab" });
    await until(() => server.cards.has(card.id));
    await until(async () => (await second.card(card.id))?.syncState === "synced");
    expect(secondHeard).toBeGreaterThan(0);
    expect(server.writes).toHaveLength(1);

    // The leader goes away: the second tab leads and sends what is queued.
    first.close();
    await until(async () => (await second.status()).leader);
    const later = await second.create({ type: "md-note", content: "after the first closed" });
    await until(() => server.cards.has(later.id));
    second.close();
  });

  it("a conflict waits in the database and every tab's resolver is asked: the first answer counts, the others are closed", async () => {
    const server = new FakeServer();
    const clock = new TestClock();
    const name = freshDatabaseName();
    const locks = new InProcessLocks();
    const leaderAsked: string[] = [];
    // The leading tab's dialog stays open until it is closed from outside (its signal).
    const first = await openLibrary(server, clock, name, {
      locks,
      channel: new BroadcastChannel(`test-${name}`),
      resolver: (conflict, context) => new Promise((_, reject) => {
        leaderAsked.push(conflict.cardId);
        context?.signal.addEventListener("abort", () => reject(new Error("closed: decided in another tab")));
      }),
    });
    // The tab where the edit is made answers "Keep My Changes".
    const secondAsked: string[] = [];
    const second = await openLibrary(server, clock, name, {
      locks,
      channel: new BroadcastChannel(`test-${name}`),
      resolver: (conflict) => (secondAsked.push(conflict.cardId), { kind: "keep-mine" }),
    });
    first.start();
    second.start();
    await until(async () => (await first.status()).leader);
    const card = await second.create({ type: "md-note", title: "Shared" });
    await until(async () => (await second.card(card.id))?.syncState === "synced");
    server.edit(card.id, { title: "Elsewhere", notes: "elsewhere" });
    const seen = (await second.card(card.id))!;
    await second.update(card.id, { title: "Second tab" }, { base: seen });

    await until(() => secondAsked.length === 1 && leaderAsked.length === 1);
    await until(() => server.cards.get(card.id)?.version === 3);
    expect(server.cards.get(card.id)).toMatchObject({ title: "Second tab", notes: "elsewhere" });
    await until(async () => (await first.status()).conflicts === 0 && (await first.card(card.id))?.syncState === "synced");
    expect(server.writes.filter((w) => w.method === "PATCH").map((w) => w.body?.version)).toEqual([1, 2]);
    first.close();
    second.close();
  });
});
