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
});
