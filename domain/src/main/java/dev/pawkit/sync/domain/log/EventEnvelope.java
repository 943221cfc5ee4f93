package dev.pawkit.sync.domain.log;

import dev.pawkit.sync.domain.CardEvent;

/**
 * An event as the event log (the system of record) carries it: what happened, and the command that
 * caused it (its id, key, client and actor), so history and audit can say who did what and why.
 */
public record EventEnvelope(CardEvent event, String commandId, String idempotencyKey, String clientId,
        String actor) {

    /** The event with the command that caused it. */
    public static EventEnvelope causedBy(CommandEnvelope cause, CardEvent event) {
        return new EventEnvelope(event, cause.commandId(), cause.idempotencyKey(), cause.clientId(), cause.actor());
    }

    public String cardId() {
        return event.cardId();
    }

    public String ownerId() {
        return event.ownerId();
    }

    public long version() {
        return event.version();
    }
}
