package dev.pawkit.sync.api.web;

import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.schemas.avro.CardView;
import dev.pawkit.sync.schemas.avro.MetadataStatusRecord;
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

    public static CardJson of(CardView view) {
        var fields = view.getFields();
        var metadata = fields.getMetadata();
        return new CardJson(
                view.getId(),
                CardType.valueOf(fields.getType().name()).wireName(),
                fields.getUrl(),
                fields.getTitle(),
                fields.getNotes(),
                fields.getContent(),
                List.copyOf(fields.getTags()),
                List.copyOf(fields.getCollections()),
                fields.getPinned(),
                metadata == null ? new MetadataJson(null, null, null, null, null)
                        : new MetadataJson(metadata.getDescription(), metadata.getImage(), metadata.getTitle(),
                                metadata.getSiteName(), metadata.getFavicon()),
                metadata == null || metadata.getStatus() == null ? null : status(metadata.getStatus()),
                view.getVersion(),
                view.getCreatedAt().toString(),
                view.getUpdatedAt().toString(),
                view.getDeleted());
    }

    private static MetadataStatusJson status(MetadataStatusRecord status) {
        return new MetadataStatusJson(status.getState().name().toLowerCase(Locale.ROOT), status.getReason(),
                status.getFetchedAt() == null ? null : status.getFetchedAt().toString());
    }

    public static String etag(long version) {
        return "\"" + version + "\"";
    }
}
