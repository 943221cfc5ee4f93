package dev.pawkit.sync.domain;

/**
 * A card's changes after a version, read by the decider only for an update that names a version
 * the card has left (the projector answers from the card's history store, in the same task).
 */
@FunctionalInterface
public interface ChangesAfter {

    /** Knows nothing: every stale version is a conflict. */
    ChangesAfter UNKNOWN = version -> LaterChanges.UNKNOWN;

    LaterChanges after(long version);
}
