import { type CardPatch, type ServerCard, changesTo, fieldsOf, isEmptyPatch } from "./card.js";
import { isNewer } from "./card-cache.js";
import type { SendResult } from "./classify.js";
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

/**
 * Writes what a send came to into the database, one transaction each: an applied operation leaves
 * the queue and its card's later operations move onto the new version; a transient failure is
 * scheduled again; a permanent one is failed at once; a version conflict goes to the resolver.
 * The Java client's ResultRecorder.
 */
export class ResultRecorder {
  constructor(
    private readonly db: SyncDatabase,
    private readonly queue: SyncQueue,
    private readonly resolver: ConflictResolver,
    private readonly uuid: () => string = () => crypto.randomUUID(),
    private readonly onConflict: (resolved: ResolvedConflict) => void = () => {},
  ) {}

  async record(op: QueueOperation, result: SendResult): Promise<void> {
    switch (result.kind) {
      case "applied":
        return this.applied(op, result.card);
      case "deleted":
        return this.deleted(op, result.version);
      case "transient":
        await this.queue.markFailed(op.id, result.error, { retryAfterMs: result.retryAfterMs });
        return;
      case "permanent":
        await this.queue.markFailed(op.id, result.error, { permanent: true });
        return;
      case "offline":
        await this.queue.markUnsent(op.id, result.error);
        return;
      case "accepted":
        // The sender follows a 202 to its decision; one that is still undecided arrives as transient.
        await this.queue.markFailed(op.id, "202 not followed", {});
        return;
      case "conflict":
        return this.conflict(op, result.current);
    }
  }

  private async applied(op: QueueOperation, card: ServerCard): Promise<void> {
    const tx = this.db.transaction(["operations", "cards"], "readwrite");
    const cards = tx.objectStore("cards");
    if (isNewer(card, await cards.get(card.id))) await cards.put(card);
    const operations = tx.objectStore("operations");
    await operations.delete(op.id);
    // The card's later operations were made on top of this one, so now they are based on its version.
    for (const later of await operations.index("by-card").getAll(op.cardId)) {
      if (later.seq > op.seq) {
        later.baseVersion = card.version;
        await operations.put(later);
      }
    }
    await tx.done;
  }

  private async deleted(op: QueueOperation, version: number): Promise<void> {
    const tx = this.db.transaction(["operations", "cards"], "readwrite");
    const cards = tx.objectStore("cards");
    const known = await cards.get(op.cardId);
    const tombstone: ServerCard = {
      ...(known ?? { id: op.cardId, type: op.baseFields?.type ?? "text-note" }),
      version: Math.max(version, known?.version ?? 0),
      deleted: true,
    };
    if (isNewer(tombstone, known)) await cards.put(tombstone);
    await tx.objectStore("operations").delete(op.id);
    await tx.done;
  }

  private async conflict(op: QueueOperation, current: ServerCard): Promise<void> {
    if (op.type !== "UPDATE_CARD" && op.type !== "DELETE_CARD") {
      await this.keepCurrent(current);
      await this.queue.markFailed(op.id, `version conflict on ${op.type}`, { permanent: true });
      return;
    }
    const conflict: Conflict = {
      type: op.type,
      cardId: op.cardId,
      base: op.baseFields,
      mine: op.type === "UPDATE_CARD" ? (op.payload as CardPatch) : null,
      theirs: current,
    };
    let resolution: Resolution;
    try {
      resolution = await this.resolver(conflict);
    } catch (e) {
      // A failing resolver must not lose the change: keep it, failed, for the user to decide.
      await this.keepCurrent(current);
      await this.queue.markFailed(op.id, `version conflict; resolver failed: ${String(e)}`, { permanent: true });
      return;
    }
    await this.keepCurrent(current);
    if (resolution.kind === "merge" && op.type === "DELETE_CARD") {
      await this.queue.markFailed(op.id, "version conflict; the resolver answered a patch for a deletion", { permanent: true });
      return;
    }
    const sent = sentFor(op, resolution, current);
    const nothingToSend = resolution.kind === "use-server" || (op.type === "UPDATE_CARD" && (sent === null || isEmptyPatch(sent)));
    const tx = this.db.transaction("operations", "readwrite");
    const stored = await tx.store.get(op.id);
    if (stored !== undefined) {
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
    }
    await tx.done;
    this.onConflict({
      operationId: op.id,
      cardId: op.cardId,
      type: op.type,
      mine: conflict.mine,
      theirs: current,
      resolution: resolution.kind,
      sent: nothingToSend ? null : sent,
    });
  }

  private async keepCurrent(current: ServerCard): Promise<void> {
    const tx = this.db.transaction("cards", "readwrite");
    if (isNewer(current, await tx.store.get(current.id))) await tx.store.put(current);
    await tx.done;
  }
}

/** What a resolution sends instead of the refused request (null for a deletion or nothing). */
function sentFor(op: QueueOperation, resolution: Resolution, current: ServerCard): CardPatch | null {
  if (op.type !== "UPDATE_CARD") return null;
  if (resolution.kind === "keep-mine") return op.payload as CardPatch;
  if (resolution.kind === "merge") return changesTo(resolution.patch, fieldsOf(current));
  return null;
}
