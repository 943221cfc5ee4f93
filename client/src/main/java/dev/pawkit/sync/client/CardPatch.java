package dev.pawkit.sync.client;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A user's change to some fields of a card (a JSON merge patch): only the fields named change; a
 * field set to null is cleared. Immutable; each {@code with}/setter returns a new patch.
 */
public final class CardPatch {

    private static final CardPatch EMPTY = new CardPatch(new EnumMap<>(CardField.class));

    private final EnumMap<CardField, Object> changes;

    private CardPatch(EnumMap<CardField, Object> changes) {
        this.changes = changes;
    }

    public static CardPatch empty() {
        return EMPTY;
    }

    public CardPatch with(CardField field, Object value) {
        EnumMap<CardField, Object> copy = new EnumMap<>(CardField.class);
        copy.putAll(changes);
        copy.put(field, field.checked(value));
        return new CardPatch(copy);
    }

    public CardPatch without(CardField field) {
        EnumMap<CardField, Object> copy = new EnumMap<>(CardField.class);
        copy.putAll(changes);
        copy.remove(field);
        return new CardPatch(copy);
    }

    public CardPatch url(String value) {
        return with(CardField.URL, value);
    }

    public CardPatch title(String value) {
        return with(CardField.TITLE, value);
    }

    public CardPatch notes(String value) {
        return with(CardField.NOTES, value);
    }

    public CardPatch content(String value) {
        return with(CardField.CONTENT, value);
    }

    public CardPatch tags(String... values) {
        return with(CardField.TAGS, List.of(values));
    }

    public CardPatch collections(String... values) {
        return with(CardField.COLLECTIONS, List.of(values));
    }

    public CardPatch pinned(boolean value) {
        return with(CardField.PINNED, value);
    }

    public CardPatch description(String value) {
        return with(CardField.DESCRIPTION, value);
    }

    public CardPatch image(String value) {
        return with(CardField.IMAGE, value);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public boolean changes(CardField field) {
        return changes.containsKey(field);
    }

    /** The new value of a field this patch changes (null when it clears it). */
    public Object value(CardField field) {
        return changes.get(field);
    }

    /** The changed fields and their new values, in field order. */
    public Map<CardField, Object> changes() {
        return Collections.unmodifiableMap(changes);
    }

    public CardFields applyTo(CardFields fields) {
        CardFields result = fields;
        for (Map.Entry<CardField, Object> change : changes.entrySet()) {
            result = result.with(change.getKey(), change.getValue());
        }
        return result;
    }

    /** The part of this patch that would change {@code fields}: an edit back to the same value is no change. */
    public CardPatch changesTo(CardFields fields) {
        EnumMap<CardField, Object> effective = new EnumMap<>(CardField.class);
        changes.forEach((field, value) -> {
            if (!Objects.equals(normalized(field, value), field.valueIn(fields))) {
                effective.put(field, value);
            }
        });
        return new CardPatch(effective);
    }

    /** How a value reads back from a card: cleared labels are an empty list, a cleared flag is false. */
    private static Object normalized(CardField field, Object value) {
        if (value == null && field.isSet()) {
            return List.of();
        }
        if (value == null && field == CardField.PINNED) {
            return false;
        }
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CardPatch patch && patch.changes.equals(changes);
    }

    @Override
    public int hashCode() {
        return changes.hashCode();
    }

    @Override
    public String toString() {
        return "CardPatch" + changes;
    }
}
