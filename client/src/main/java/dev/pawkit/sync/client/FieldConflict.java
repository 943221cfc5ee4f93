package dev.pawkit.sync.client;

/**
 * A true conflict in a three-way merge: both sides changed one field to different values since
 * the base.
 */
public record FieldConflict(String cardId, CardField field, Object base, Object mine, Object theirs) {
}
