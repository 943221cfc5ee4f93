package dev.pawkit.sync.domain;

import dev.pawkit.sync.domain.CardEvent.CardCreated;
import dev.pawkit.sync.domain.CardEvent.CardUpdated;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a card's events mean to a person reading them: per event, which fields changed from what
 * to what; and the card as it stood at a past version or time. Pure folds over the card's events,
 * which the log keeps forever, so history and time travel need no state of their own.
 */
public final class CardHistory {

    /** One field of a card, before and after an event (null where absent). */
    public record FieldChange(String field, Object before, Object after) {
    }

    /** An event with the field changes it made. */
    public record Entry(CardEvent event, List<FieldChange> changes) {
        public Entry {
            changes = List.copyOf(changes);
        }
    }

    private CardHistory() {
    }

    /** @param events one card's events, in version order from its creation */
    public static List<Entry> entries(List<CardEvent> events) {
        List<Entry> entries = new ArrayList<>(events.size());
        Card state = null;
        for (CardEvent event : events) {
            Card after = CardDecider.evolve(state, event);
            entries.add(new Entry(event, changes(state, after)));
            state = after;
        }
        return entries;
    }

    /** The card right after version {@code version}; empty if it never had that version. */
    public static Optional<Card> atVersion(List<CardEvent> events, long version) {
        Card state = null;
        for (CardEvent event : events) {
            if (event.version() > version) {
                break;
            }
            state = CardDecider.evolve(state, event);
        }
        return Optional.ofNullable(state).filter(card -> card.version() == version);
    }

    /** The card as it stood at {@code at} (a tombstone if deleted by then); empty before it existed. */
    public static Optional<Card> atTime(List<CardEvent> events, Instant at) {
        Card state = null;
        for (CardEvent event : events) {
            if (event.at().isAfter(at)) {
                break;
            }
            state = CardDecider.evolve(state, event);
        }
        return Optional.ofNullable(state);
    }

    private static List<FieldChange> changes(Card before, Card after) {
        List<FieldChange> changes = new ArrayList<>();
        CardFields was = before == null ? null : before.fields();
        CardFields is = after.fields();
        if (before == null) {
            add(changes, "type", null, is.type().wireName());
        }
        add(changes, "url", was == null ? null : was.url(), is.url());
        add(changes, "title", was == null ? null : was.title(), is.title());
        add(changes, "notes", was == null ? null : was.notes(), is.notes());
        add(changes, "content", was == null ? null : was.content(), is.content());
        add(changes, "tags", was == null ? List.of() : was.tags(), is.tags());
        add(changes, "collections", was == null ? List.of() : was.collections(), is.collections());
        add(changes, "pinned", was != null && was.pinned(), is.pinned());
        add(changes, "metadata.description", was == null ? null : was.metadata().description(),
                is.metadata().description());
        add(changes, "metadata.image", was == null ? null : was.metadata().image(), is.metadata().image());
        add(changes, "metadata.title", was == null ? null : was.metadata().title(), is.metadata().title());
        add(changes, "metadata.siteName", was == null ? null : was.metadata().siteName(), is.metadata().siteName());
        add(changes, "metadata.favicon", was == null ? null : was.metadata().favicon(), is.metadata().favicon());
        add(changes, "metadataStatus", was == null ? null : describe(was.metadata().status()),
                describe(is.metadata().status()));
        add(changes, "deleted", before != null && before.deleted(), after.deleted());
        return changes;
    }

    /** "pending", "ok" or "failed: why", as clients show it. */
    private static String describe(MetadataStatus status) {
        if (status == null) {
            return null;
        }
        String state = status.state().name().toLowerCase(java.util.Locale.ROOT);
        return status.reason() == null ? state : state + ": " + status.reason();
    }

    private static void add(List<FieldChange> changes, String field, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            changes.add(new FieldChange(field, before, after));
        }
    }

    /** Whether the event created, updated or deleted the card, as clients name it. */
    public static String kind(CardEvent event) {
        return event instanceof CardCreated ? "created" : event instanceof CardUpdated ? "updated" : "deleted";
    }
}
