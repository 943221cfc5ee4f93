package dev.pawkit.sync.client;

import java.time.Instant;

/**
 * One local change in the durable queue. It is written before anything else happens, carries its
 * idempotency key from then on (every retry and every restart sends the same key), and leaves the
 * queue only once the server has answered it for good.
 *
 * @param seq queue position, also the operation's id for retry and discard
 * @param fields what a {@link OperationKind#CREATE} creates; null otherwise
 * @param patch what an {@link OperationKind#UPDATE} changes; null otherwise
 * @param baseVersion the server version the change was made on (0 while the card's create is queued);
 *     sent as {@code version}, so a change made on an older card is a conflict, never an overwrite
 * @param baseFields the fields the user saw when making the change: the base of a three-way merge
 * @param attempts sends counted against the retry budget (not those made while the server was unreachable)
 * @param sent it went (or may have gone) on the wire at least once, so its key may be applied:
 *     never merged with a later change ({@link UnsentMerge})
 */
public record Operation(
        long seq,
        OperationKind kind,
        String cardId,
        String idempotencyKey,
        CardFields fields,
        CardPatch patch,
        long baseVersion,
        CardFields baseFields,
        OperationStatus status,
        int attempts,
        Instant nextAttemptAt,
        String lastError,
        Instant createdAt,
        boolean sent) {
}
