import { type CardFields, type CardPatch, type ServerCard, applyPatch, combinePatches, fieldsOf, patchedFields, sameValue } from "./card.js";
import type { SyncDatabase } from "./database.js";
import type { NewOperation, OperationStatus, QueueOperation } from "./operation.js";
import { RETRY_CONFIG, type RetryConfig, getRetryDelay } from "./retry-policy.js";

export interface SyncQueueOptions {
  retry?: RetryConfig;
  now?: () => number;
  random?: () => number;
  /** Makes idempotency keys and operation ids; crypto.randomUUID by default. */
  uuid?: () => string;
}

/** How a send failed, for `markFailed`. */
export interface Failure {
  /** Sending again cannot help (other 4xx): failed at once, no retry spent. */
  permanent?: boolean;
  /** The server's Retry-After, instead of the backoff. */
  retryAfterMs?: number | null;
}

/**
 * The seed's persistent queue (lib/services/sync-queue.ts) on IndexedDB: every local change is an
 * operation here before anything else happens. Each method is one IndexedDB transaction, so tabs
 * sharing the database see one consistent queue.
 */
export class SyncQueue {
  private readonly retry: RetryConfig;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly uuid: () => string;

  constructor(
    private readonly db: SyncDatabase,
    options: SyncQueueOptions = {},
  ) {
    this.retry = options.retry ?? RETRY_CONFIG;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.uuid = options.uuid ?? (() => crypto.randomUUID());
  }

  /**
   * Queues a change and returns the id of the operation that carries it. The idempotency key is
   * made here, once, and stored with the operation. An update of a card whose last queued
   * operation (its create or an update) was never sent is merged into that operation: its key was
   * never used, so its request may still change, and the server gets one request instead of many.
   * A deletion of a card whose create was never sent drops the card's operations: the server
   * never heard of it. Then the result is null.
   */
  async enqueue(operation: NewOperation): Promise<string | null> {
    // The cards store too: a new operation's base version is read in the same transaction that
    // queues it (below), never before it, when an earlier operation's answer may land in between.
    const tx = this.db.transaction(["operations", "cards"], "readwrite");
    const store = tx.objectStore("operations");
    const ofCard = sortBySeq(await store.index("by-card").getAll(operation.cardId));
    const last = ofCard[ofCard.length - 1];
    const first = ofCard[0];
    let id: string | null;
    if (operation.type === "UPDATE_CARD" && last !== undefined && neverSent(last) && last.type === "UPDATE_CARD") {
      last.payload = combinePatches(last.payload as CardPatch, operation.payload as CardPatch);
      await store.put(last);
      id = last.id;
    } else if (operation.type === "UPDATE_CARD" && last !== undefined && neverSent(last) && last.type === "CREATE_CARD") {
      last.payload = applyPatch(last.payload as CardFields, operation.payload as CardPatch);
      await store.put(last);
      id = last.id;
    } else if (operation.type === "DELETE_CARD" && first?.type === "CREATE_CARD" && ofCard.every(neverSent)) {
      for (const op of ofCard) await store.delete(op.id);
      id = null;
    } else {
      const lastInQueue = await store.index("by-seq").openCursor(null, "prev");
      const queued: QueueOperation = {
        ...operation,
        baseVersion: baseVersionNow(operation, ofCard.length > 0,
          ofCard.length > 0 ? undefined : await tx.objectStore("cards").get(operation.cardId)),
        id: `op_${this.uuid()}`,
        seq: lastInQueue === null ? 1 : lastInQueue.value.seq + 1,
        idempotencyKey: this.uuid(),
        timestamp: this.now(),
        retries: 0,
        maxRetries: this.retry.maxRetries,
        attempts: 0,
        status: "pending",
      };
      await store.add(queued);
      id = queued.id;
    }
    await tx.done;
    return id;
  }

  /** Every queued operation, in queue order. */
  async getAll(): Promise<QueueOperation[]> {
    return this.db.getAllFromIndex("operations", "by-seq");
  }

  async get(id: string): Promise<QueueOperation | undefined> {
    return this.db.get("operations", id);
  }

  /** A card's operations, in queue order. */
  async ofCard(cardId: string): Promise<QueueOperation[]> {
    return sortBySeq(await this.db.getAllFromIndex("operations", "by-card", cardId));
  }

  /** Waiting to be sent, or being sent now (pending and processing), in queue order. */
  async getPending(): Promise<QueueOperation[]> {
    return [...(await this.withStatus("pending")), ...(await this.withStatus("processing"))].sort(bySeq);
  }

  /** Failed transiently, to be sent again at their `nextRetryAt`. */
  async getRetrying(): Promise<QueueOperation[]> {
    return this.withStatus("retrying");
  }

  /** Failed for good; kept until retried or discarded. */
  async getFailed(): Promise<QueueOperation[]> {
    return this.withStatus("failed");
  }

  /** Refused with a version conflict, waiting for the user's choice. */
  async getConflicts(): Promise<QueueOperation[]> {
    return this.withStatus("conflict");
  }

  /** Records a 409 version-conflict: not sent again until resolved (ConflictDesk). */
  async markConflict(id: string, current: ServerCard): Promise<QueueOperation | null> {
    return this.change(id, (op) => {
      op.status = "conflict";
      op.conflict = current;
      op.lastError = `version conflict: the server has version ${current.version}`;
      delete op.nextRetryAt;
      return op;
    });
  }

  /**
   * Marks an operation as being sent and returns it as stored now (a merge may have changed it
   * since it was read): that is what must be sent. Null when it is gone or failed meanwhile.
   */
  async markProcessing(id: string): Promise<QueueOperation | null> {
    return this.change(id, (op) => {
      if (op.status === "failed" || op.status === "conflict") return null;
      op.status = "processing";
      op.attempts += 1;
      return op;
    });
  }

  /**
   * Records a failed send. Transient: retried after the backoff (or the server's Retry-After)
   * until `maxRetries` retries are used, then failed. Permanent: failed at once.
   */
  async markFailed(id: string, error: string, failure: Failure = {}): Promise<QueueOperation | null> {
    return this.change(id, (op) => {
      op.lastError = error;
      if (failure.permanent) {
        op.status = "failed";
        delete op.nextRetryAt;
      } else if (op.retries < op.maxRetries) {
        op.retries += 1;
        op.status = "retrying";
        op.nextRetryAt = this.now() + (failure.retryAfterMs ?? getRetryDelay(op.retries, this.random(), this.retry));
      } else {
        op.status = "failed";
        op.lastError = `${error} (gave up after ${op.attempts} sends)`;
        delete op.nextRetryAt;
      }
      return op;
    });
  }

  /** The send did not get through because the browser is offline: no retry is spent. */
  async markUnsent(id: string, error: string): Promise<QueueOperation | null> {
    return this.change(id, (op) => {
      op.lastError = error;
      op.status = op.retries > 0 ? "retrying" : "pending";
      return op;
    });
  }

  /**
   * Sends a failed operation again with a fresh retry budget and the same key: a failed send may
   * have applied, and the key makes the server replay it instead of applying it twice.
   */
  async retryOperation(id: string): Promise<boolean> {
    const changed = await this.change(id, (op) => {
      if (op.status !== "failed") return null;
      op.status = "pending";
      op.retries = 0;
      delete op.lastError;
      delete op.nextRetryAt;
      return op;
    });
    return changed !== null;
  }

  /** "Retry All": every failed operation again; returns how many. */
  async retryAll(): Promise<number> {
    let count = 0;
    for (const op of await this.getFailed()) if (await this.retryOperation(op.id)) count++;
    return count;
  }

  async remove(id: string): Promise<void> {
    await this.db.delete("operations", id);
  }

  /**
   * Drops a failed operation at the user's request; dropping a create also drops the card's later
   * operations, which cannot apply without it. Returns what was dropped.
   */
  async discard(id: string): Promise<QueueOperation[]> {
    const tx = this.db.transaction("operations", "readwrite");
    const op = await tx.store.get(id);
    if (op === undefined) throw new Error(`no queued operation ${id}`);
    if (op.status !== "failed") throw new Error(`only failed operations can be discarded; ${id} is ${op.status}`);
    const dropped: QueueOperation[] = [];
    for (const other of sortBySeq(await tx.store.index("by-card").getAll(op.cardId))) {
      if (other.id === op.id || (op.type === "CREATE_CARD" && other.seq > op.seq)) {
        await tx.store.delete(other.id);
        dropped.push(other);
      }
    }
    await tx.done;
    return dropped;
  }

  /** How many operations stand where: the sync status's counts. */
  async counts(): Promise<Record<OperationStatus, number>> {
    const counts: Record<OperationStatus, number> = { pending: 0, processing: 0, retrying: 0, failed: 0, conflict: 0 };
    for (const status of Object.keys(counts) as OperationStatus[]) {
      counts[status] = await this.db.countFromIndex("operations", "by-status", status);
    }
    return counts;
  }

  private async withStatus(status: OperationStatus): Promise<QueueOperation[]> {
    return sortBySeq(await this.db.getAllFromIndex("operations", "by-status", status));
  }

  /** Read, change and write one operation in one transaction; the change returns null to leave it. */
  private async change(id: string, edit: (op: QueueOperation) => QueueOperation | null): Promise<QueueOperation | null> {
    const tx = this.db.transaction("operations", "readwrite");
    const op = await tx.store.get(id);
    const changed = op === undefined ? null : edit(op);
    if (changed !== null) await tx.store.put(changed);
    await tx.done;
    return changed;
  }
}

/**
 * The version a new operation is made on. Behind earlier operations of its card it is theirs, set
 * again when each is answered (ResultRecorder moves later operations onto the new version). With
 * none left, the cached card's version as the queuing transaction sees it may be newer than the
 * caller's (an edit form opened before it arrived):
 * - when it came from the user's own earlier change (answered after the caller read the card),
 *   sending the older version would be a false conflict with that change;
 * - when it came from another device, sending the newer version would overwrite that device's
 *   change with what the user saw before it: a silent overwrite.
 * An update therefore takes the newer version only when none of the fields it changes has
 * changed there since the user saw the card (`baseFields`): then nothing the user did not see is
 * overwritten (their own earlier change shows in what they saw; fields the update leaves out keep
 * the other device's values). Otherwise it keeps the version the user saw, and the server's 409
 * hands the conflict to the resolver.
 */
function baseVersionNow(operation: NewOperation, behindOthers: boolean, cached: ServerCard | undefined): number {
  if (behindOthers || operation.type === "CREATE_CARD") return operation.baseVersion;
  if (cached === undefined || cached.deleted) return operation.baseVersion;
  if (operation.type === "UPDATE_CARD" && operation.baseFields !== null && cached.version > operation.baseVersion) {
    const now = fieldsOf(cached);
    const seen = operation.baseFields;
    const untouched = patchedFields(operation.payload as CardPatch).every((field) => sameValue(field, now[field], seen[field]));
    return untouched ? cached.version : operation.baseVersion;
  }
  return cached.version;
}

function neverSent(op: QueueOperation): boolean {
  return op.status === "pending" && op.attempts === 0;
}

function bySeq(a: QueueOperation, b: QueueOperation): number {
  return a.seq - b.seq;
}

function sortBySeq(ops: QueueOperation[]): QueueOperation[] {
  return ops.sort(bySeq);
}
