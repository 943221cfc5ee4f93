package dev.pawkit.sync.domain;

/**
 * The decision on one command as the caller sees it: stored under the idempotency key and returned
 * again, unchanged, when the same request is replayed.
 */
public sealed interface CommandOutcome {

    enum Kind { CREATED, UPDATED, DELETED }

    /** Applied, or accepted without change (an update that changed nothing); {@code card} is the card after it. */
    record Applied(Kind kind, Card card) implements CommandOutcome {
    }

    record Rejected(Rejection rejection) implements CommandOutcome {
    }

    /** The user was forgotten: {@code cardsRemoved} cards and {@code keysDestroyed} data keys are gone. */
    record Erased(long cardsRemoved, int keysDestroyed) implements CommandOutcome {
    }

    /** The outcome of a command, given the decision and the card after it. */
    static CommandOutcome of(CardCommand command, Decision decision, Card after) {
        if (decision instanceof Decision.Rejected rejected) {
            return new Rejected(rejected.rejection());
        }
        Kind kind = command instanceof CardCommand.CreateCard ? Kind.CREATED
                : command instanceof CardCommand.DeleteCard ? Kind.DELETED
                : Kind.UPDATED;
        return new Applied(kind, after);
    }
}
