package dev.pawkit.sync.domain;

import java.util.Set;

/**
 * What happened to a card after the version a writer named, as far as the conflict rule needs to
 * know: whether only the system changed it since (the enricher's page metadata, never the card's
 * owner on any device), and which fields those changes set ({@link CardPatch#fieldNames()}).
 */
public record LaterChanges(boolean bySystemOnly, Set<String> fields) {

    /** Nothing known about the changes: every stale version stays a conflict. */
    public static final LaterChanges UNKNOWN = new LaterChanges(false, Set.of());

    public LaterChanges {
        fields = Set.copyOf(fields);
    }
}
