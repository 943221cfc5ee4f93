package dev.pawkit.sync.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Brings the server's changes into the card cache: pulled from the change feed page by page from
 * the stored cursor, or handed over by the change stream event by event ({@link #apply}). Each page
 * or event and the cursor after it are one transaction, so an interrupted pull or stream resumes
 * where it stopped; tombstones mark cards deleted. Queued local changes are untouched: they stay
 * on top, so a server card never hides a pending local change (a conflict shows when it is sent).
 */
final class DeltaSync {

    private static final System.Logger LOG = System.getLogger(DeltaSync.class.getName());

    private final CardApi api;
    private final LocalStore store;
    private final int pageSize;
    private final SyncListener listener;

    DeltaSync(CardApi api, LocalStore store, int pageSize, SyncListener listener) {
        this.api = api;
        this.store = store;
        this.pageSize = pageSize;
        this.listener = listener;
    }

    /** Pulls every change since the last pull; returns how many cards changed. */
    synchronized int pull() throws IOException, InterruptedException {
        String since = cursor();
        int changed = 0;
        while (true) {
            ApiResponse response = api.changes(since, pageSize);
            if (response.status() == 400 && since != null) {
                // The cursor is not one this user's feed knows (another server's, past its end): the
                // whole feed again from the start. Applying a card again is harmless (newest version wins).
                LOG.log(System.Logger.Level.WARNING, "the change feed refused the stored cursor; pulling from the start: "
                        + response.body());
                since = null;
                continue;
            }
            if (response.status() != 200) {
                throw new IOException("the change feed answered HTTP " + response.status() + ": " + response.body());
            }
            JsonNode page = CardJson.parse(response.body());
            String next = page.get("nextSince").asString();
            changed += apply(page.get("items"), next);
            since = next;
            if (!page.path("hasMore").asBoolean(false)) {
                return changed;
            }
        }
    }

    /** The stored position in the feed (the stream's resume point too), null before the first pull. */
    String cursor() {
        return store.read(t -> t.settings().get(SettingTable.CHANGES_CURSOR).orElse(null));
    }

    /**
     * Applies one page or one stream event: its cards into the cache and {@code cursor} as the new
     * position, in one transaction. Returns how many cards it held.
     */
    synchronized int apply(JsonNode items, String cursor) {
        List<ServerCard> cards = new ArrayList<>();
        items.values().forEach(item -> cards.add(CardJson.readCard(item)));
        store.write(t -> {
            for (ServerCard card : cards) {
                t.cards().upsert(card);
            }
            t.settings().put(SettingTable.CHANGES_CURSOR, cursor);
            return null;
        });
        if (!cards.isEmpty()) {
            listener.serverChanges(cards);
        }
        return cards.size();
    }
}
