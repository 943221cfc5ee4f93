package dev.pawkit.sync.domain.log;

import dev.pawkit.sync.domain.CommandOutcome;

/**
 * The projector's answer to one command: a value of the command-results topic (the reply path)
 * and of the outcome store (what {@code GET /api/commands/{id}} answers).
 *
 * @param replayed true when this answers a repeated idempotency key with the first outcome
 * @param changeSeq the position of the applied change in its owner's change feed (0 for a rejection)
 * @param commandOffset the command's offset in its partition of the command log: the decision is
 *     committed once the projector's committed offset there is beyond it; -1 when unknown
 */
public record OutcomeEnvelope(String commandId, String userId, String cardId, boolean replayed,
        CommandOutcome outcome, long changeSeq, long commandOffset) {

    /** The same decision, answered again to another command (a retry: its own id, card and offset). */
    public OutcomeEnvelope replayedAs(CommandEnvelope retry, long retryOffset) {
        return new OutcomeEnvelope(retry.commandId(), userId, retry.cardId(), true, outcome, changeSeq, retryOffset);
    }
}
