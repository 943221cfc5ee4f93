package dev.pawkit.sync.client;

/**
 * Told about the queue as it changes, e.g. to show "3 pending, 1 failed" or a conflict notice.
 * Called on the thread that made the change (the caller's, or the background drain's); keep it short.
 */
public interface SyncListener {

    default void statusChanged(SyncStatus status) {
    }

    /**
     * Cards the server reported changed (from the change feed or the live stream), now in the
     * cache; this device's own changes come back this way too. Called on the pulling thread.
     */
    default void serverChanges(java.util.List<ServerCard> cards) {
    }

    /** A conflict was resolved; the journal ({@link PawkitSyncClient#conflicts()}) keeps it too. */
    default void conflictResolved(ResolvedConflict conflict) {
    }
}
