package dev.pawkit.sync.client;

import java.util.List;

/**
 * The editable fields of a card, one constant each: the vocabulary of patches, of the JSON sent,
 * and of the per-field three-way merge. Values are {@code String}, {@code Boolean} (pinned) or
 * {@code List<String>} (tags, collections, merged as sets).
 */
public enum CardField {
    URL("url"),
    TITLE("title"),
    NOTES("notes"),
    CONTENT("content"),
    TAGS("tags"),
    COLLECTIONS("collections"),
    PINNED("pinned"),
    DESCRIPTION("metadata.description"),
    IMAGE("metadata.image");

    private final String wireName;

    CardField(String wireName) {
        this.wireName = wireName;
    }

    /** The field's name in the API, with {@code metadata.} for the nested ones. */
    public String wireName() {
        return wireName;
    }

    /** Tags and collections: unordered labels, merged by adding and removing members. */
    public boolean isSet() {
        return this == TAGS || this == COLLECTIONS;
    }

    public Object valueIn(CardFields f) {
        return switch (this) {
            case URL -> f.url();
            case TITLE -> f.title();
            case NOTES -> f.notes();
            case CONTENT -> f.content();
            case TAGS -> f.tags();
            case COLLECTIONS -> f.collections();
            case PINNED -> f.pinned();
            case DESCRIPTION -> f.description();
            case IMAGE -> f.image();
        };
    }

    CardFields withValue(CardFields f, Object value) {
        Object v = checked(value);
        return new CardFields(f.type(),
                this == URL ? (String) v : f.url(),
                this == TITLE ? (String) v : f.title(),
                this == NOTES ? (String) v : f.notes(),
                this == CONTENT ? (String) v : f.content(),
                this == TAGS ? labels(v) : f.tags(),
                this == COLLECTIONS ? labels(v) : f.collections(),
                this == PINNED ? v != null && (Boolean) v : f.pinned(),
                this == DESCRIPTION ? (String) v : f.description(),
                this == IMAGE ? (String) v : f.image());
    }

    /** The value if it has this field's Java type (null clears the field), else an exception naming the field. */
    Object checked(Object value) {
        if (value == null) {
            return null;
        }
        boolean ok = switch (this) {
            case TAGS, COLLECTIONS -> value instanceof List<?> list && list.stream().allMatch(String.class::isInstance);
            case PINNED -> value instanceof Boolean;
            default -> value instanceof String;
        };
        if (!ok) {
            throw new IllegalArgumentException(wireName + " cannot be " + value.getClass().getSimpleName());
        }
        return isSet() ? List.copyOf((List<?>) value) : value;
    }

    @SuppressWarnings("unchecked")
    private static List<String> labels(Object value) {
        return value == null ? List.of() : (List<String>) value;
    }
}
