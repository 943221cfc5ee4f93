package dev.pawkit.sync.client;

/** Where a queued operation stands; a sent-and-answered operation leaves the queue. */
public enum OperationStatus {
    /** Waiting for its turn (or in flight). */
    PENDING,
    /** Failed transiently; sent again at {@code nextAttemptAt}. */
    RETRYING,
    /** Failed for good (a permanent error, or retries used up); kept until retried or discarded. */
    FAILED
}
