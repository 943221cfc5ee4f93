package dev.pawkit.sync.client;

/**
 * Told about the queue as it changes, e.g. to show "3 pending, 1 failed" or a conflict notice.
 * Called on the thread that made the change (the caller's, or the background drain's); keep it short.
 */
public interface SyncListener {

    default void statusChanged(SyncStatus status) {
    }

    /** A conflict was resolved; the journal ({@link PawkitSyncClient#conflicts()}) keeps it too. */
    default void conflictResolved(ResolvedConflict conflict) {
    }
}
