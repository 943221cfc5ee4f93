import { nextRetry, ready } from "./drain-plan.js";
import type { SendResult } from "./classify.js";
import type { QueueOperation } from "./operation.js";
import type { SyncQueue } from "./queue.js";
import type { ResultRecorder } from "./recorder.js";

/** How soon a drain looks again at an operation whose send or record threw. */
const ERRED_RETRY_MS = 1_000;

/** What one drain came to. */
export interface DrainReport {
  /** Sends answered (or failed) in this drain. */
  sent: number;
  /** The browser went offline: the drain stopped; the `online` event starts the next. */
  offline: boolean;
  /** When the earliest scheduled retry falls due (ms since the epoch), if one is scheduled. */
  nextRetryAt: number | null;
}

export interface Sender {
  send(op: QueueOperation): Promise<SendResult>;
}

export interface DrainerOptions {
  now?: () => number;
  isOnline?: () => boolean;
  /** Cards with an operation in flight at once (each card still one at a time). */
  maxInFlight?: number;
  /** Told after each answer is recorded (the app's status and list refresh). */
  onRecorded?: (op: QueueOperation, result: SendResult) => void;
  onError?: (error: unknown) => void;
}

/**
 * Sends the queue, keeping up to `maxInFlight` operations of different cards in flight: as soon
 * as one is answered and recorded, its card's next operation (if due) or another card's takes the
 * free slot. Which operations may go is drain-plan's rule (per card, the oldest only), so a
 * card's operations never overtake each other while different cards never wait for each other.
 * One drain at a time in a tab: a drain asked for while one runs makes it look again at the end.
 */
export class QueueDrainer {
  private running: Promise<DrainReport> | null = null;
  private again = false;
  private readonly now: () => number;
  private readonly isOnline: () => boolean;
  private readonly maxInFlight: number;

  constructor(
    private readonly queue: SyncQueue,
    private readonly sender: Sender,
    private readonly recorder: ResultRecorder,
    private readonly options: DrainerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.isOnline = options.isOnline ?? (() => true);
    this.maxInFlight = options.maxInFlight ?? 4;
  }

  /** Sends everything due now; scheduled retries are left for later (see `nextRetryAt`). */
  drain(): Promise<DrainReport> {
    if (this.running !== null) {
      this.again = true;
      return this.running;
    }
    // loop() awaits before anything else, so its finally (which clears `running`) always runs after this.
    this.running = this.loop();
    return this.running;
  }

  private async loop(): Promise<DrainReport> {
    try {
      let sent = 0;
      let offline = false;
      let queue: QueueOperation[];
      let erred: boolean;
      do {
        this.again = false;
        const report = await this.once();
        sent += report.sent;
        offline = report.offline;
        erred = report.erred;
        // Read before the last look at `again`: a drain asked for while this read ran is not lost.
        queue = await this.queue.getAll();
      } while (this.again && !offline);
      // An operation whose send or record threw is still pending and has no retry time of its own:
      // look again after a second rather than leave it until the next local write.
      const due = [nextRetry(queue), erred ? this.now() + ERRED_RETRY_MS : null].filter((at) => at !== null);
      return { sent, offline, nextRetryAt: due.length === 0 ? null : Math.min(...due) };
    } finally {
      // In the same turn as the last look at `again` (an async function's finally runs before its
      // promise settles): from here on a drain asked for starts a new one instead of being folded
      // into this one, which no longer looks.
      this.running = null;
    }
  }

  private async once(): Promise<{ sent: number; offline: boolean; erred: boolean }> {
    const inFlight = new Map<string, Promise<QueueOperation>>();
    // Operations whose send or record threw in this drain: not tried again until the next drain.
    const erred = new Set<string>();
    let due = this.due(await this.queue.getAll(), inFlight, erred);
    let sent = 0;
    let offline = !this.isOnline();
    while (true) {
      while (!offline && inFlight.size < this.maxInFlight && due.length > 0) {
        const op = due.shift()!;
        if (!inFlight.has(op.cardId)) {
          inFlight.set(op.cardId, this.sendAndRecord(op).then((ok) => {
            if (!ok) erred.add(op.id);
            return op;
          }));
        }
      }
      if (inFlight.size === 0) break;
      const answered = await Promise.race(inFlight.values());
      inFlight.delete(answered.cardId);
      sent++;
      offline ||= !this.isOnline();
      if (!offline) {
        // The card's next operation may go now; when nothing is known to be due, look at the whole
        // queue again (local writes made meanwhile, retries fallen due).
        due.push(...this.due((await this.queue.ofCard(answered.cardId)).slice(0, 1), inFlight, erred));
        if (due.length === 0) due = this.due(await this.queue.getAll(), inFlight, erred);
        due.sort((a, b) => a.seq - b.seq);
      }
    }
    return { sent, offline, erred: erred.size > 0 };
  }

  private due(queue: QueueOperation[], inFlight: Map<string, unknown>, erred: Set<string>): QueueOperation[] {
    return ready(queue, this.now()).filter((op) => !inFlight.has(op.cardId) && !erred.has(op.id));
  }

  /** False when something threw: the operation stays queued and the next drain sends it again, same key. */
  private async sendAndRecord(op: QueueOperation): Promise<boolean> {
    try {
      // What is stored now is what is sent: an update merged into it since it was read included.
      const current = await this.queue.markProcessing(op.id);
      if (current === null) return true;
      const result = await this.sender.send(current);
      await this.recorder.record(current, result);
      this.options.onRecorded?.(current, result);
      return true;
    } catch (e) {
      this.options.onError?.(e);
      return false;
    }
  }
}
