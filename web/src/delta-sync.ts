import type { CardApi } from "./api.js";
import type { ServerCard } from "./card.js";
import type { CardCache } from "./card-cache.js";

/**
 * Pulls the server's change feed into the card cache, page by page from the stored cursor;
 * tombstones mark cards deleted. Each page and the cursor after it are one transaction, so an
 * interrupted pull resumes where it stopped. Queued local changes are untouched: they stay on top.
 */
export class DeltaSync {
  constructor(
    private readonly api: CardApi,
    private readonly cache: CardCache,
    private readonly pageSize: number = 500,
  ) {}

  /** Pulls every change since the last pull; returns how many cards changed. */
  async pull(): Promise<number> {
    let since = await this.cache.cursor();
    let changed = 0;
    let restarted = false;
    while (true) {
      const response = await this.api.changes(since, this.pageSize);
      if (response.status === 400 && since !== null && !restarted) {
        // A cursor the server does not know (its data was wiped, say): sync from the start, once.
        await this.cache.clearCursor();
        since = null;
        restarted = true;
        continue;
      }
      if (response.status !== 200) throw new Error(`the change feed answered HTTP ${response.status}`);
      const page = response.body as { items: ServerCard[]; nextSince: string | null; hasMore: boolean };
      changed += await this.cache.applyChanges(page.items, page.nextSince ?? since);
      since = page.nextSince ?? since;
      if (!page.hasMore) return changed;
    }
  }
}
