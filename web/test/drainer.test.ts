import { describe, expect, it } from "vitest";
import { newFields } from "../src/card.js";
import type { SendResult } from "../src/classify.js";
import { openSyncDatabase } from "../src/database.js";
import { QueueDrainer } from "../src/drainer.js";
import type { QueueOperation } from "../src/operation.js";
import { SyncQueue } from "../src/queue.js";
import { ResultRecorder } from "../src/recorder.js";
import { freshDatabaseName } from "./helpers.js";

const note = newFields({ type: "md-note", content: "# hello" });

function create(cardId: string) {
  return { type: "CREATE_CARD" as const, cardId, payload: note, baseVersion: 0, baseFields: null };
}

const permanent: SendResult = { kind: "permanent", error: "400 from the test" };

async function setUp(send: (op: QueueOperation) => Promise<SendResult>) {
  const db = await openSyncDatabase(freshDatabaseName());
  const queue = new SyncQueue(db, { now: () => 5_000, random: () => 0.5 });
  // No conflicts in these tests: nothing waits for a decision.
  const recorder = new ResultRecorder(db, queue, async () => {});
  const drainer = new QueueDrainer(queue, { send }, recorder, { now: () => 5_000 });
  return { queue, drainer };
}

describe("QueueDrainer", () => {
  it("does not lose a drain asked for while the last one reads the queue for its report", async () => {
    // The second card is queued, and its drain asked for, in the moment the first drain reads the
    // queue one last time: folded into a drain that no longer looks, it stayed pending for good.
    const sent: string[] = [];
    const { queue, drainer } = await setUp(async (op) => {
      sent.push(op.cardId);
      return permanent;
    });
    await queue.enqueue(create("first"));
    const getAll = queue.getAll.bind(queue);
    let reads = 0;
    let second: Promise<unknown> | null = null;
    queue.getAll = async () => {
      const all = await getAll();
      // Reads: the drain's first look, its look after the answer, then the one for its report.
      if (++reads === 3) {
        await queue.enqueue(create("second"));
        second = drainer.drain();
      }
      return all;
    };
    await drainer.drain();
    expect(second).not.toBeNull();
    await second;
    expect(sent).toEqual(["first", "second"]);
    expect((await queue.getFailed()).map((op) => op.cardId).sort()).toEqual(["first", "second"]);
  });

  it("looks again soon at an operation whose send threw, instead of leaving it pending with no retry time", async () => {
    let calls = 0;
    const { queue, drainer } = await setUp(async () => {
      calls++;
      throw new Error("the record failed (e.g. an IndexedDB transaction aborted)");
    });
    await queue.enqueue(create("card"));
    const report = await drainer.drain();
    expect(calls).toBe(1);
    expect(report.nextRetryAt).toBe(5_000 + 1_000);
    expect(await queue.getPending()).toHaveLength(1);
  });
});
