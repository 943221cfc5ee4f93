package dev.pawkit.sync.client;

/**
 * What the status listener reports: how many operations wait, are being retried, or failed, and
 * whether the server was unreachable on the last attempt.
 */
public record SyncStatus(int pending, int retrying, int failed, boolean offline) {

    /** Nothing left to send (failed operations wait for the user, not for the server). */
    public boolean idle() {
        return pending == 0 && retrying == 0;
    }
}
