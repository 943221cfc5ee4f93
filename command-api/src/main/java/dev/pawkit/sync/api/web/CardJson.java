package dev.pawkit.sync.api.web;

import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.schemas.avro.CardView;
import java.util.List;

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
        long version,
        String createdAt,
        String updatedAt,
        boolean deleted) {

    public record MetadataJson(String description, String image) {
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
                metadata == null ? new MetadataJson(null, null)
                        : new MetadataJson(metadata.getDescription(), metadata.getImage()),
                view.getVersion(),
                view.getCreatedAt().toString(),
                view.getUpdatedAt().toString(),
                view.getDeleted());
    }

    public static String etag(long version) {
        return "\"" + version + "\"";
    }
}
