package dev.pawkit.sync.client;

import java.time.Instant;

/**
 * A journal entry: a conflict and what was done about it. What lost is readable here: my change
 * when the server's card was taken, the server's values of the fields I sent otherwise.
 *
 * @param mine my change (null for a deletion)
 * @param theirs the server's card at the conflict
 * @param resolution {@code keep-mine}, {@code use-server} or {@code merge}
 * @param sent what was sent instead (null when nothing was)
 */
public record ResolvedConflict(long operation, String cardId, OperationKind kind, CardPatch mine,
        ServerCard theirs, String resolution, CardPatch sent, Instant at) {
}
