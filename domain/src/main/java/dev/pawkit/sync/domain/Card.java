package dev.pawkit.sync.domain;

import java.time.Instant;

/** A card as it stands after its events: the state the decider decides on and the view users read. */
public record Card(
        String id,
        String ownerId,
        CardFields fields,
        long version,
        Instant createdAt,
        Instant updatedAt,
        boolean deleted) {
}
