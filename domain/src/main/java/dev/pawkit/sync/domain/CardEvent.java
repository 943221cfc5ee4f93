package dev.pawkit.sync.domain;

import java.time.Instant;

/** What happened to a card; the event log is the system of record. {@code version} is the card's version after it. */
public sealed interface CardEvent {

    String cardId();

    String ownerId();

    long version();

    Instant at();

    record CardCreated(String cardId, String ownerId, long version, Instant at, CardFields fields)
            implements CardEvent {
    }

    /** Carries only the fields that changed, with their new values. */
    record CardUpdated(String cardId, String ownerId, long version, Instant at, CardPatch changes)
            implements CardEvent {
    }

    record CardDeleted(String cardId, String ownerId, long version, Instant at) implements CardEvent {
    }
}
