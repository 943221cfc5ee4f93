package dev.pawkit.sync.bench.postgres;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A row of {@code cards}: what Option B stores, decides on and answers. */
record Card(String id, String owner, Fields fields, long version, Instant createdAt, Instant updatedAt,
        boolean deleted) {

    /** What a user edits; optional texts are null when absent, lists never null. */
    record Fields(String type, String url, String title, String notes, String content, List<String> tags,
            List<String> collections, boolean pinned, String description, String image) {

        static Fields blank(String type) {
            return new Fields(type, null, null, null, null, List.of(), List.of(), false, null, null);
        }
    }

    /**
     * The card in the JSON shape Pawkit answers (its {@code CardJson}), field for field, so a client
     * reads both the same. Page metadata is never fetched here: those fields stay null.
     */
    Map<String, Object> json() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("description", fields.description());
        metadata.put("image", fields.image());
        metadata.put("title", null);
        metadata.put("siteName", null);
        metadata.put("favicon", null);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("type", fields.type());
        json.put("url", fields.url());
        json.put("title", fields.title());
        json.put("notes", fields.notes());
        json.put("content", fields.content());
        json.put("tags", fields.tags());
        json.put("collections", fields.collections());
        json.put("pinned", fields.pinned());
        json.put("metadata", metadata);
        json.put("metadataStatus", null);
        json.put("version", version);
        json.put("createdAt", createdAt.toString());
        json.put("updatedAt", updatedAt.toString());
        json.put("deleted", deleted);
        return json;
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }
}
