package dev.pawkit.sync.api.read;

import dev.pawkit.sync.api.web.InvalidRequestException;
import dev.pawkit.sync.domain.Card;
import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.domain.CardHistory;
import dev.pawkit.sync.domain.log.EventEnvelope;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** A read of a card as it was: {@code ?asOfVersion=N} or {@code ?asOf=<RFC 3339>}, folded from its events. */
record TimeTravel(Long version, Instant at) {

    /** The requested point in the past, or empty for a read of the card as it is. */
    static Optional<TimeTravel> of(String asOfVersion, String asOf) {
        if (asOfVersion != null && asOf != null) {
            throw new InvalidRequestException("give asOfVersion or asOf, not both");
        }
        if (asOfVersion != null) {
            try {
                long version = Long.parseLong(asOfVersion);
                if (version >= 1) {
                    return Optional.of(new TimeTravel(version, null));
                }
            } catch (NumberFormatException e) {
                // Fall through to the 400 below.
            }
            throw new InvalidRequestException("asOfVersion must be a positive integer");
        }
        if (asOf != null) {
            try {
                return Optional.of(new TimeTravel(null, OffsetDateTime.parse(asOf).toInstant()));
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException("asOf must be an RFC 3339 date-time such as 2026-11-25T10:15:30Z");
            }
        }
        return Optional.empty();
    }

    /** The card then, a tombstone if it was deleted by then; empty if it did not exist then. */
    Optional<Card> cardIn(List<EventEnvelope> history) {
        List<CardEvent> events = history.stream().map(EventEnvelope::event).toList();
        return version != null ? CardHistory.atVersion(events, version) : CardHistory.atTime(events, at);
    }

    String describe() {
        return version != null ? "at version " + version : "at " + at;
    }
}
