package dev.pawkit.sync.client;

/**
 * A card as this client shows it: the server's last known state with every queued local change
 * on top, so the user sees their edits at once, online or not.
 *
 * @param serverVersion the version the server last reported, 0 while the card's create is queued
 * @param syncState whether local changes are still waiting for the server, or one failed
 */
public record LocalCard(String id, CardFields fields, long serverVersion, String metadataState,
        SyncState syncState) {

    public enum SyncState {
        /** No local change waiting: this is what the server has (as of the last answer or pull). */
        SYNCED,
        /** Local changes are queued or being retried. */
        PENDING,
        /** A local change failed for good and waits for retry or discard; it still shows here. */
        FAILED
    }
}
