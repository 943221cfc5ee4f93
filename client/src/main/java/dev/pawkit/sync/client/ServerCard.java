package dev.pawkit.sync.client;

/**
 * A card as the server last told this client about it: from a write's answer, a conflict's
 * {@code currentCard}, or the change feed. The local cache keeps the newest version of each.
 *
 * @param metadataState where fetching a url card's page stands ({@code pending}, {@code ok},
 *     {@code failed}), or null
 * @param deleted a tombstone: the card was deleted at {@code version}
 */
public record ServerCard(String id, long version, CardFields fields, String metadataState, boolean deleted,
        String updatedAt) {
}
