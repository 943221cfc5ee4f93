package dev.pawkit.sync.bench.reliability;

/**
 * One HTTP attempt of a card write, as the client sent it. A retry is another attempt with the same
 * {@code idempotencyKey}; a batch member is an attempt of its own (its batch's {@code batch} id set).
 *
 * @param seq the order in which attempts were sent, across all clients (a retry always has a larger one)
 * @param expectedVersion the If-Match version sent, or null for none (a create)
 * @param title the title the write sets: what the card's title must be if this write is the last applied
 * @param batch the batch request this member was part of, or null when sent alone
 */
public record Request(long seq, String client, String user, Kind kind, String idempotencyKey, String cardId,
        Long expectedVersion, String title, String batch) {

    public enum Kind {
        CREATE, UPDATE, DELETE
    }
}
