import { type CardPatch, type ServerCard, changesTo, fieldsOf, isEmptyPatch } from "./card.js";
import type { SyncDatabase } from "./database.js";
import type { Conflict, ConflictResolver, Resolution } from "./merge.js";
import type { QueueOperation } from "./operation.js";
import type { SyncQueue } from "./queue.js";

/** A conflict and what was done about it: for the app's journal and its "what happened" view. */
export interface ResolvedConflict {
  operationId: string;
  cardId: string;
  type: QueueOperation["type"];
  mine: CardPatch | null;
  theirs: ServerCard;
  resolution: Resolution["kind"];
  /** What is sent instead (null: nothing, or a deletion). */
  sent: CardPatch | null;
}

export interface ConflictDeskOptions {
  uuid?: () => string;
  /** Told of each conflict this tab resolved. */
  onResolved?: (resolved: ResolvedConflict) => void;
  /** The queue changed here (a resolution written): other tabs and the drain must hear of it. */
  onWritten?: () => void;
  onError?: (error: unknown) => void;
}

/**
 * Conflicts waiting for the user, in every tab. The draining tab stores a 409 as the operation's
 * "conflict" state (with the server's card) in IndexedDB; each tab's desk, looking after every
 * change it hears of, hands each waiting conflict to its own resolver (the app's dialog), so the
 * dialog shows in the tab where the edit was made too, not only in the leading one. The first
 * answer is written, in one transaction that checks the conflict still waits; the other tabs'
 * resolvers are then aborted (their dialogs close) and their answers ignored.
 */
export class ConflictDesk {
  /** Conflicts this tab's resolver is deciding, by operation id and server version. */
  private readonly asked = new Map<string, AbortController>();
  /** Conflicts settled as far as this tab knows: never asked again (a scan may read late). */
  private readonly settled = new Set<string>();
  private readonly waiters = new Map<string, (() => void)[]>();
  private scanning: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly uuid: () => string;

  constructor(
    private readonly db: SyncDatabase,
    private readonly queue: SyncQueue,
    private readonly resolver: ConflictResolver,
    private readonly options: ConflictDeskOptions = {},
  ) {
    this.uuid = options.uuid ?? (() => crypto.randomUUID());
  }

  /** Looks at the waiting conflicts: asks about new ones, stops asking about those decided elsewhere. */
  scan(): Promise<void> {
    // One scan at a time, in order: a scan that read before a decision must not act after one that read after it.
    const next = this.scanning.then(() => this.scanOnce());
    this.scanning = next.catch((error) => this.options.onError?.(error));
    return this.scanning;
  }

  /** Resolves once the operation no longer waits for a decision (made in this tab or another). */
  async decided(operationId: string): Promise<void> {
    const done = new Promise<void>((resolve) => {
      if (this.closed) return resolve();
      this.waiters.set(operationId, [...(this.waiters.get(operationId) ?? []), resolve]);
    });
    await this.scan();
    return done;
  }

  close(): void {
    this.closed = true;
    for (const controller of this.asked.values()) controller.abort();
    this.asked.clear();
    for (const resolvers of this.waiters.values()) for (const resolve of resolvers) resolve();
    this.waiters.clear();
  }

  private async scanOnce(): Promise<void> {
    if (this.closed) return;
    const waiting = await this.queue.getConflicts();
    const keys = new Set(waiting.map(keyOf));
    for (const op of waiting) {
      const key = keyOf(op);
      if (!this.asked.has(key) && !this.settled.has(key)) this.ask(op, key);
    }
    for (const [key, controller] of this.asked) {
      if (!keys.has(key)) {
        controller.abort();
        this.asked.delete(key);
        this.settled.add(key);
      }
    }
    const ids = new Set(waiting.map((op) => op.id));
    for (const [id, resolvers] of this.waiters) {
      if (!ids.has(id)) {
        this.waiters.delete(id);
        for (const resolve of resolvers) resolve();
      }
    }
  }

  private ask(op: QueueOperation, key: string): void {
    const controller = new AbortController();
    this.asked.set(key, controller);
    const conflict: Conflict = {
      type: op.type as Conflict["type"],
      cardId: op.cardId,
      base: op.baseFields,
      mine: op.type === "UPDATE_CARD" ? (op.payload as CardPatch) : null,
      theirs: op.conflict!,
    };
    void (async () => {
      let answer: { resolution: Resolution } | { error: unknown };
      try {
        answer = { resolution: await this.resolver(conflict, { signal: controller.signal }) };
      } catch (error) {
        answer = { error };
      }
      // Decided in another tab meanwhile (or closed): that answer stands.
      if (controller.signal.aborted) return;
      this.asked.delete(key);
      this.settled.add(key);
      try {
        const resolved = await this.write(op, answer);
        if (resolved !== null) this.options.onResolved?.(resolved);
        this.options.onWritten?.();
      } catch (error) {
        this.options.onError?.(error);
      }
      await this.scan();
    })();
  }

  /**
   * Writes a decision, if the conflict still waits as it was asked. A failing resolver must not
   * lose the change: it is kept, failed, for the user to decide. Returns what was resolved.
   */
  private async write(op: QueueOperation, answer: { resolution: Resolution } | { error: unknown }): Promise<ResolvedConflict | null> {
    const current = op.conflict!;
    const tx = this.db.transaction("operations", "readwrite");
    const stored = await tx.store.get(op.id);
    if (stored === undefined || stored.status !== "conflict" || stored.conflict?.version !== current.version) {
      await tx.done;
      return null;
    }
    delete stored.conflict;
    let resolved: ResolvedConflict | null = null;
    if ("error" in answer) {
      stored.status = "failed";
      stored.lastError = `version conflict; resolver failed: ${String(answer.error)}`;
      await tx.store.put(stored);
    } else if (answer.resolution.kind === "merge" && op.type === "DELETE_CARD") {
      stored.status = "failed";
      stored.lastError = "version conflict; the resolver answered a patch for a deletion";
      await tx.store.put(stored);
    } else {
      const resolution = answer.resolution;
      const sent = sentFor(op, resolution, current);
      const nothingToSend = resolution.kind === "use-server" || (op.type === "UPDATE_CARD" && (sent === null || isEmptyPatch(sent)));
      if (nothingToSend) {
        await tx.store.delete(op.id);
      } else {
        // A new request (another body, another base version), so a new key; the old key's 409 stays what it was.
        stored.payload = op.type === "UPDATE_CARD" ? sent : null;
        stored.baseVersion = current.version;
        stored.baseFields = fieldsOf(current);
        stored.idempotencyKey = this.uuid();
        stored.status = "pending";
        stored.attempts = 0;
        delete stored.nextRetryAt;
        delete stored.lastError;
        await tx.store.put(stored);
      }
      resolved = {
        operationId: op.id,
        cardId: op.cardId,
        type: op.type,
        mine: op.type === "UPDATE_CARD" ? (op.payload as CardPatch) : null,
        theirs: current,
        resolution: resolution.kind,
        sent: nothingToSend ? null : sent,
      };
    }
    await tx.done;
    return resolved;
  }
}

function keyOf(op: QueueOperation): string {
  return `${op.id}@${op.conflict?.version ?? 0}`;
}

/** What a resolution sends instead of the refused request (null for a deletion or nothing). */
function sentFor(op: QueueOperation, resolution: Resolution, current: ServerCard): CardPatch | null {
  if (op.type !== "UPDATE_CARD") return null;
  if (resolution.kind === "keep-mine") return op.payload as CardPatch;
  if (resolution.kind === "merge") return changesTo(resolution.patch, fieldsOf(current));
  return null;
}
