package dev.pawkit.sync.domain;

/** Why a command was not applied. Rejections are values: they are stored and replayed like successes. */
public sealed interface Rejection {

    record NotFound(String cardId) implements Rejection {
    }

    /** The card was deleted; a deleted card never comes back. */
    record Gone(Card current) implements Rejection {
    }

    /** The version in the body differs from the card's. */
    record VersionConflict(Card current) implements Rejection {
    }

    /** The version in If-Match differs from the card's. */
    record PreconditionFailed(Card current) implements Rejection {
    }

    /** A create named an id the user already has. */
    record CardExists(Card current) implements Rejection {
    }

    /** The change would leave the card outside {@link CardRules} (say, a url card without a url). */
    record InvalidCard(String reason) implements Rejection {
    }

    /** The idempotency key was already used for a different request. */
    record IdempotencyKeyReused(String idempotencyKey) implements Rejection {
    }
}
