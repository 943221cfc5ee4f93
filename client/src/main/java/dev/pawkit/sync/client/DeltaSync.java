package dev.pawkit.sync.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Pulls the server's change feed into the card cache, page by page from the stored cursor;
 * tombstones mark cards deleted. Each page and the cursor after it are one transaction, so an
 * interrupted pull resumes where it stopped. Queued local changes are untouched: they stay on top.
 */
final class DeltaSync {

    private final CardApi api;
    private final LocalStore store;
    private final int pageSize;

    DeltaSync(CardApi api, LocalStore store, int pageSize) {
        this.api = api;
        this.store = store;
        this.pageSize = pageSize;
    }

    /** Pulls every change since the last pull; returns how many cards changed. */
    int pull() throws IOException, InterruptedException {
        String since = store.read(t -> t.settings().get(SettingTable.CHANGES_CURSOR).orElse(null));
        int changed = 0;
        while (true) {
            ApiResponse response = api.changes(since, pageSize);
            if (response.status() != 200) {
                throw new IOException("the change feed answered HTTP " + response.status() + ": " + response.body());
            }
            JsonNode page = CardJson.parse(response.body());
            List<ServerCard> cards = new ArrayList<>();
            page.get("items").values().forEach(item -> cards.add(CardJson.readCard(item)));
            String next = page.get("nextSince").asString();
            store.write(t -> {
                for (ServerCard card : cards) {
                    t.cards().upsert(card);
                }
                t.settings().put(SettingTable.CHANGES_CURSOR, next);
                return null;
            });
            changed += cards.size();
            since = next;
            if (!page.path("hasMore").asBoolean(false)) {
                return changed;
            }
        }
    }
}
