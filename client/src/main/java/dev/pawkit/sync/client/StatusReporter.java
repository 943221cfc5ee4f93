package dev.pawkit.sync.client;

import java.util.Map;

/** Counts the queue by status and tells the listener whenever the queue or reachability changed. */
final class StatusReporter {

    private final LocalStore store;
    private final SyncListener listener;
    private volatile boolean offline;

    StatusReporter(LocalStore store, SyncListener listener) {
        this.store = store;
        this.listener = listener;
    }

    SyncStatus current() {
        Map<OperationStatus, Integer> counts = store.read(t -> t.operations().countByStatus());
        return new SyncStatus(counts.get(OperationStatus.PENDING), counts.get(OperationStatus.RETRYING),
                counts.get(OperationStatus.FAILED), offline);
    }

    void offline(boolean value) {
        offline = value;
    }

    SyncStatus publish() {
        SyncStatus status = current();
        listener.statusChanged(status);
        return status;
    }
}
