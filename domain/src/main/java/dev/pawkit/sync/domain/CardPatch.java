package dev.pawkit.sync.domain;

import java.util.List;
import java.util.stream.Stream;

/**
 * A partial change of a card's fields. The type of a card never changes, so it is not patchable.
 * Used by update commands (what the user asked for) and by update events (what actually changed).
 */
public record CardPatch(
        Edit<String> url,
        Edit<String> title,
        Edit<String> notes,
        Edit<String> content,
        Edit<List<String>> tags,
        Edit<List<String>> collections,
        Edit<Boolean> pinned,
        Edit<String> metadataDescription,
        Edit<String> metadataImage) {

    public static CardPatch empty() {
        return new CardPatch(Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep());
    }

    public boolean isEmpty() {
        return Stream.of(url, title, notes, content, tags, collections, pinned, metadataDescription, metadataImage)
                .allMatch(Edit::isKeep);
    }

    /** The part of this patch that would change {@code current}. */
    public CardPatch changesTo(CardFields current) {
        return new CardPatch(
                url.onlyIfChanging(current.url()),
                title.onlyIfChanging(current.title()),
                notes.onlyIfChanging(current.notes()),
                content.onlyIfChanging(current.content()),
                tags.onlyIfChanging(current.tags()),
                collections.onlyIfChanging(current.collections()),
                pinned.onlyIfChanging(current.pinned()),
                metadataDescription.onlyIfChanging(current.metadata().description()),
                metadataImage.onlyIfChanging(current.metadata().image()));
    }
}
