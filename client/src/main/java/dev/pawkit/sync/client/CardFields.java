package dev.pawkit.sync.client;

import java.util.List;
import java.util.Objects;

/**
 * What a user edits on a card: the content of a create, the state a change was made on, and the
 * local view shown to the user. Tags and collections are never null (empty when absent).
 */
public record CardFields(
        CardType type,
        String url,
        String title,
        String notes,
        String content,
        List<String> tags,
        List<String> collections,
        boolean pinned,
        String description,
        String image) {

    public CardFields {
        Objects.requireNonNull(type, "type");
        tags = tags == null ? List.of() : List.copyOf(tags);
        collections = collections == null ? List.of() : List.copyOf(collections);
    }

    /** A url card for {@code url}; chain the {@code with*} methods for the rest. */
    public static CardFields url(String url) {
        return new CardFields(CardType.URL, url, null, null, null, List.of(), List.of(), false, null, null);
    }

    /** A note card ({@link CardType#MD_NOTE} or {@link CardType#TEXT_NOTE}) with its content. */
    public static CardFields note(CardType type, String content) {
        return new CardFields(type, null, null, null, content, List.of(), List.of(), false, null, null);
    }

    public CardFields withUrl(String value) {
        return with(CardField.URL, value);
    }

    public CardFields withTitle(String value) {
        return with(CardField.TITLE, value);
    }

    public CardFields withNotes(String value) {
        return with(CardField.NOTES, value);
    }

    public CardFields withContent(String value) {
        return with(CardField.CONTENT, value);
    }

    public CardFields withTags(String... values) {
        return with(CardField.TAGS, List.of(values));
    }

    public CardFields withCollections(String... values) {
        return with(CardField.COLLECTIONS, List.of(values));
    }

    public CardFields withPinned(boolean value) {
        return with(CardField.PINNED, value);
    }

    public CardFields withDescription(String value) {
        return with(CardField.DESCRIPTION, value);
    }

    public CardFields withImage(String value) {
        return with(CardField.IMAGE, value);
    }

    public Object get(CardField field) {
        return field.valueIn(this);
    }

    public CardFields with(CardField field, Object value) {
        return field.withValue(this, value);
    }

    /** What the server requires of every create, checked at once so the user hears it offline too. */
    void checkCreatable() {
        if (type == CardType.URL && (url == null || url.isBlank())) {
            throw new IllegalArgumentException("a url card needs a url");
        }
    }
}
