import type { ServerCard } from "./card.js";
import { isNewer } from "./card-cache.js";
import type { SendResult } from "./classify.js";
import type { SyncDatabase } from "./database.js";
import type { QueueOperation } from "./operation.js";
import type { SyncQueue } from "./queue.js";

/**
 * Writes what a send came to into the database, one transaction each: an applied operation leaves
 * the queue and its card's later operations move onto the new version; a transient failure is
 * scheduled again; a permanent one is failed at once; a version conflict is stored for the
 * resolver (ConflictDesk, in every tab) and the send waits for its decision.
 * The Java client's ResultRecorder.
 */
export class ResultRecorder {
  constructor(
    private readonly db: SyncDatabase,
    private readonly queue: SyncQueue,
    /** Resolves once a stored conflict is decided (ConflictDesk.decided). */
    private readonly awaitDecision: (operationId: string) => Promise<void>,
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
    await this.keepCurrent(current);
    if (op.type !== "UPDATE_CARD" && op.type !== "DELETE_CARD") {
      await this.queue.markFailed(op.id, `version conflict on ${op.type}`, { permanent: true });
      return;
    }
    // Stored first, so every tab can show it (and a reload does not send it again); then this
    // drain waits for the decision, made in this tab or another, and sends what it says.
    await this.queue.markConflict(op.id, current);
    await this.awaitDecision(op.id);
  }

  private async keepCurrent(current: ServerCard): Promise<void> {
    const tx = this.db.transaction("cards", "readwrite");
    if (isNewer(current, await tx.store.get(current.id))) await tx.store.put(current);
    await tx.done;
  }
}
