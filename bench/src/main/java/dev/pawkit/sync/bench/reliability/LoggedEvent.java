package dev.pawkit.sync.bench.reliability;

import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.domain.Edit;
import dev.pawkit.sync.domain.log.EventEnvelope;

/**
 * A committed event of the event log, reduced to what the checker compares: whose card, which
 * version, which command (user and idempotency key) caused it, and what it did to the title.
 *
 * @param titleSet whether the event set the title (a create always does; an update only if it changed it)
 */
public record LoggedEvent(String user, String cardId, long version, Kind kind, String idempotencyKey,
        String commandId, boolean titleSet, String title) {

    public enum Kind {
        CREATED, UPDATED, DELETED
    }

    public static LoggedEvent of(EventEnvelope envelope) {
        CardEvent event = envelope.event();
        Kind kind;
        boolean titleSet = false;
        String title = null;
        if (event instanceof CardEvent.CardCreated created) {
            kind = Kind.CREATED;
            titleSet = true;
            title = created.fields().title();
        } else if (event instanceof CardEvent.CardUpdated updated) {
            kind = Kind.UPDATED;
            if (updated.changes().title() instanceof Edit.SetTo<String> set) {
                titleSet = true;
                title = set.value();
            }
        } else {
            kind = Kind.DELETED;
        }
        return new LoggedEvent(event.ownerId(), event.cardId(), event.version(), kind, envelope.idempotencyKey(),
                envelope.commandId(), titleSet, title);
    }
}
