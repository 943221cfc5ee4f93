import type { ServerCard } from "./card.js";
import type { SyncDatabase } from "./database.js";

/** The settings key of the change feed cursor, shared by delta sync and the live stream. */
export const CHANGES_CURSOR = "changes-cursor";

/**
 * The server's cards as last known (tombstones kept, so a late, older copy cannot bring a
 * deleted card back) and the change feed cursor. Queued local changes live in the queue, on top.
 */
export class CardCache {
  constructor(private readonly db: SyncDatabase) {}

  async all(): Promise<ServerCard[]> {
    return (await this.db.getAll("cards")).filter((card) => !card.deleted);
  }

  async get(cardId: string): Promise<ServerCard | undefined> {
    return this.db.get("cards", cardId);
  }

  async cursor(): Promise<string | null> {
    return (await this.db.get("settings", CHANGES_CURSOR)) ?? null;
  }

  async clearCursor(): Promise<void> {
    await this.db.delete("settings", CHANGES_CURSOR);
  }

  /**
   * A page of the change feed (or a stream event) and the cursor after it, in one transaction,
   * so an interrupted sync resumes exactly where it stopped. Returns how many cards changed.
   */
  async applyChanges(items: readonly ServerCard[], cursor: string | null): Promise<number> {
    const tx = this.db.transaction(["cards", "settings"], "readwrite");
    const cards = tx.objectStore("cards");
    let changed = 0;
    for (const item of items) {
      if (isNewer(item, await cards.get(item.id))) {
        await cards.put(item);
        changed++;
      }
    }
    if (cursor !== null) await tx.objectStore("settings").put(cursor, CHANGES_CURSOR);
    await tx.done;
    return changed;
  }
}

/**
 * Versions only grow, so the higher one is the later state: a write's answer and the stream's
 * event of the same change may arrive in either order. A tombstone wins at its version.
 */
export function isNewer(candidate: ServerCard, known: ServerCard | undefined): boolean {
  if (known === undefined) return true;
  if (candidate.version !== known.version) return candidate.version > known.version;
  return candidate.deleted === true && known.deleted !== true;
}
