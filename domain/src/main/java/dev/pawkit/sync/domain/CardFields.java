package dev.pawkit.sync.domain;

import java.util.List;
import java.util.Objects;

/**
 * What a user edits on a card. Optional texts are null when absent; lists are never null.
 * What the fields may hold (limits, URLs, a url card's url) is {@link CardRules}.
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
        Metadata metadata) {

    public CardFields {
        Objects.requireNonNull(type, "type");
        tags = List.copyOf(tags);
        collections = List.copyOf(collections);
        metadata = metadata == null ? Metadata.EMPTY : metadata;
    }

    /** These fields with the metadata status replaced. */
    public CardFields withMetadataStatus(MetadataStatus status) {
        return new CardFields(type, url, title, notes, content, tags, collections, pinned,
                new Metadata(metadata.description(), metadata.image(), metadata.title(), metadata.siteName(),
                        metadata.favicon(), status));
    }

    /** These fields with the patch's edits applied (JSON merge patch semantics, already normalised). */
    public CardFields with(CardPatch patch) {
        Metadata newMetadata = new Metadata(
                patch.metadataDescription().applyTo(metadata.description()),
                patch.metadataImage().applyTo(metadata.image()),
                patch.metadataTitle().applyTo(metadata.title()),
                patch.metadataSiteName().applyTo(metadata.siteName()),
                patch.metadataFavicon().applyTo(metadata.favicon()),
                patch.metadataStatus().applyTo(metadata.status()));
        return new CardFields(
                type,
                patch.url().applyTo(url),
                patch.title().applyTo(title),
                patch.notes().applyTo(notes),
                patch.content().applyTo(content),
                patch.tags().applyTo(tags),
                patch.collections().applyTo(collections),
                patch.pinned().applyTo(pinned),
                newMetadata);
    }
}
