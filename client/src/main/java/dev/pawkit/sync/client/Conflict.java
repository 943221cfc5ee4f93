package dev.pawkit.sync.client;

/**
 * A queued change the server refused with 409 version-conflict: the card moved on since the
 * change was made. Handed to the {@link ConflictResolver}.
 *
 * @param kind {@link OperationKind#UPDATE} or {@link OperationKind#DELETE}
 * @param base the fields the user saw when making the change
 * @param mine the change (null for a deletion)
 * @param theirs the card as the server has it now ({@code currentCard})
 */
public record Conflict(OperationKind kind, String cardId, CardFields base, CardPatch mine, ServerCard theirs) {
}
