package dev.pawkit.sync.api.web;

import dev.pawkit.sync.domain.Card;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.Metadata;
import dev.pawkit.sync.domain.MetadataStatus;
import java.util.List;
import java.util.Locale;

/** The JSON shape of a card, as the contract shows it. */
public record CardJson(
        String id,
        String type,
        String url,
        String title,
        String notes,
        String content,
        List<String> tags,
        List<String> collections,
        boolean pinned,
        MetadataJson metadata,
        MetadataStatusJson metadataStatus,
        long version,
        String createdAt,
        String updatedAt,
        boolean deleted) {

    public record MetadataJson(String description, String image, String title, String siteName, String favicon) {
    }

    /** Where fetching a url card's page metadata stands: pending, ok, or failed with a reason. */
    public record MetadataStatusJson(String state, String reason, String fetchedAt) {
    }

    public static CardJson of(Card card) {
        CardFields fields = card.fields();
        Metadata metadata = fields.metadata();
        return new CardJson(
                card.id(),
                fields.type().wireName(),
                fields.url(),
                fields.title(),
                fields.notes(),
                fields.content(),
                fields.tags(),
                fields.collections(),
                fields.pinned(),
                new MetadataJson(metadata.description(), metadata.image(), metadata.title(), metadata.siteName(),
                        metadata.favicon()),
                metadata.status() == null ? null : status(metadata.status()),
                card.version(),
                card.createdAt().toString(),
                card.updatedAt().toString(),
                card.deleted());
    }

    private static MetadataStatusJson status(MetadataStatus status) {
        return new MetadataStatusJson(status.state().name().toLowerCase(Locale.ROOT), status.reason(),
                status.fetchedAt() == null ? null : status.fetchedAt().toString());
    }

    public static String etag(long version) {
        return "\"" + version + "\"";
    }
}
