package dev.pawkit.sync.domain;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        Edit<String> metadataImage,
        Edit<String> metadataTitle,
        Edit<String> metadataSiteName,
        Edit<String> metadataFavicon,
        Edit<MetadataStatus> metadataStatus) {

    /** A patch of what a user edits (fetched metadata left alone). */
    public CardPatch(Edit<String> url, Edit<String> title, Edit<String> notes, Edit<String> content,
            Edit<List<String>> tags, Edit<List<String>> collections, Edit<Boolean> pinned,
            Edit<String> metadataDescription, Edit<String> metadataImage) {
        this(url, title, notes, content, tags, collections, pinned, metadataDescription, metadataImage,
                Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep());
    }

    public static CardPatch empty() {
        return new CardPatch(Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep());
    }

    /** The names of the fields this patch sets or clears (those it keeps left out). */
    public Set<String> fieldNames() {
        Set<String> names = new LinkedHashSet<>();
        edits().forEach((name, edit) -> {
            if (!edit.isKeep()) {
                names.add(name);
            }
        });
        return names;
    }

    public boolean isEmpty() {
        return edits().values().stream().allMatch(Edit::isKeep);
    }

    /** Every field's edit by name, in declaration order: the one list the two questions above ask. */
    private Map<String, Edit<?>> edits() {
        Map<String, Edit<?>> edits = new LinkedHashMap<>();
        edits.put("url", url);
        edits.put("title", title);
        edits.put("notes", notes);
        edits.put("content", content);
        edits.put("tags", tags);
        edits.put("collections", collections);
        edits.put("pinned", pinned);
        edits.put("metadataDescription", metadataDescription);
        edits.put("metadataImage", metadataImage);
        edits.put("metadataTitle", metadataTitle);
        edits.put("metadataSiteName", metadataSiteName);
        edits.put("metadataFavicon", metadataFavicon);
        edits.put("metadataStatus", metadataStatus);
        return edits;
    }

    /** A patch that only asks for the page metadata to be fetched from {@code url} for the request at {@code version}. */
    public static CardPatch fetchRequested(String url, long version) {
        return empty().withStatus(MetadataStatus.pending(url, version));
    }

    public CardPatch withStatus(MetadataStatus status) {
        return new CardPatch(url, title, notes, content, tags, collections, pinned, metadataDescription,
                metadataImage, metadataTitle, metadataSiteName, metadataFavicon, Edit.to(status));
    }

    /** The fields of a fetched page, all of them, as the page now has them. */
    public static CardPatch fetched(PageMetadata page, MetadataStatus status) {
        return new CardPatch(Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.to(page.description()), Edit.to(page.image()), Edit.to(page.title()),
                Edit.to(page.siteName()), Edit.to(page.favicon()), Edit.to(status));
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
                metadataImage.onlyIfChanging(current.metadata().image()),
                metadataTitle.onlyIfChanging(current.metadata().title()),
                metadataSiteName.onlyIfChanging(current.metadata().siteName()),
                metadataFavicon.onlyIfChanging(current.metadata().favicon()),
                metadataStatus.onlyIfChanging(current.metadata().status()));
    }
}
