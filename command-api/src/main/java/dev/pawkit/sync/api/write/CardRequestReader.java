package dev.pawkit.sync.api.write;

import dev.pawkit.sync.api.web.InvalidRequestException;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.Edit;
import dev.pawkit.sync.domain.Metadata;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads card request bodies strictly: JSON types are never coerced, unknown fields are refused,
 * limits are enforced, and "absent" is told apart from "null" (JSON merge patch). Anything wrong
 * is a 400 that says which field and why, before anything is appended.
 */
public final class CardRequestReader {

    /** A create: the fields and the client-chosen id, if any. */
    public record CreateRequest(String clientId, CardFields fields) {
    }

    /** A patch and the version it was based on, if the body says. */
    public record PatchRequest(CardPatch patch, Long version) {
    }

    private static final Set<String> CREATE_FIELDS = Set.of("id", "type", "url", "title", "notes", "content",
            "tags", "collections", "pinned", "metadata");
    private static final Set<String> PATCH_FIELDS = Set.of("url", "title", "notes", "content", "tags",
            "collections", "pinned", "metadata", "version");
    private static final Set<String> METADATA_FIELDS = Set.of("description", "image");

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private CardRequestReader() {
    }

    public static CreateRequest readCreate(byte[] body) {
        JsonNode json = object(body, CREATE_FIELDS);
        String id = optionalText(json, "id", 36);
        if (id != null) {
            id = uuid(id, "id");
        }
        String typeName = optionalText(json, "type", 32);
        if (typeName == null) {
            throw new InvalidRequestException("type is required: one of url, md-note, text-note");
        }
        CardType type = CardType.fromWireName(typeName).orElseThrow(() ->
                new InvalidRequestException("type must be one of url, md-note, text-note"));
        String url = optionalText(json, "url", CardLimits.MAX_URL);
        if (url != null) {
            httpUrl(url, "url");
        }
        if (type == CardType.URL && url == null) {
            throw new InvalidRequestException("url is required for a url card");
        }
        JsonNode metadata = json.get("metadata");
        Metadata meta = Metadata.EMPTY;
        if (metadata != null && !metadata.isNull()) {
            metadataObject(metadata);
            meta = new Metadata(optionalText(metadata, "metadata.description", "description", CardLimits.MAX_DESCRIPTION),
                    imageUrl(optionalText(metadata, "metadata.image", "image", CardLimits.MAX_URL)));
        }
        CardFields fields = new CardFields(type, url,
                optionalText(json, "title", CardLimits.MAX_TITLE),
                optionalText(json, "notes", CardLimits.MAX_NOTES),
                optionalText(json, "content", CardLimits.MAX_CONTENT),
                labels(json, "tags", CardLimits.MAX_TAGS, CardLimits.MAX_TAG),
                labels(json, "collections", CardLimits.MAX_COLLECTIONS, CardLimits.MAX_COLLECTION),
                flag(json, "pinned"),
                meta);
        return new CreateRequest(id, fields);
    }

    public static PatchRequest readPatch(byte[] body) {
        JsonNode json = object(body, PATCH_FIELDS);
        Edit<String> url = textEdit(json, "url", CardLimits.MAX_URL);
        if (url instanceof Edit.SetTo<String> set && set.value() != null) {
            httpUrl(set.value(), "url");
        }
        Edit<String> description = Edit.keep();
        Edit<String> image = Edit.keep();
        JsonNode metadata = json.get("metadata");
        if (metadata != null) {
            if (metadata.isNull()) {
                description = Edit.to(null);
                image = Edit.to(null);
            } else {
                metadataObject(metadata);
                description = textEdit(metadata, "metadata.description", "description", CardLimits.MAX_DESCRIPTION);
                image = textEdit(metadata, "metadata.image", "image", CardLimits.MAX_URL);
                if (image instanceof Edit.SetTo<String> set && set.value() != null) {
                    imageUrl(set.value());
                }
            }
        }
        CardPatch patch = new CardPatch(url,
                textEdit(json, "title", CardLimits.MAX_TITLE),
                textEdit(json, "notes", CardLimits.MAX_NOTES),
                textEdit(json, "content", CardLimits.MAX_CONTENT),
                labelsEdit(json, "tags", CardLimits.MAX_TAGS, CardLimits.MAX_TAG),
                labelsEdit(json, "collections", CardLimits.MAX_COLLECTIONS, CardLimits.MAX_COLLECTION),
                json.has("pinned") ? Edit.to(flag(json, "pinned")) : Edit.keep(),
                description, image);
        return new PatchRequest(patch, version(json));
    }

    /** A delete body is optional; when present it may only carry {@code version}. */
    public static Long readDeleteVersion(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        return version(object(body, Set.of("version")));
    }

    /** The canonical lower-case form of a UUID, or a 400 naming {@code what}. */
    public static String uuid(String value, String what) {
        try {
            UUID parsed = UUID.fromString(value);
            if (parsed.toString().equalsIgnoreCase(value)) {
                return parsed.toString();
            }
        } catch (IllegalArgumentException e) {
            // Fall through to the 400 below.
        }
        throw new InvalidRequestException(what + " must be a UUID");
    }

    private static JsonNode object(byte[] body, Set<String> allowed) {
        if (body == null || body.length == 0) {
            throw new InvalidRequestException("a JSON object body is required");
        }
        JsonNode json;
        try {
            json = STRICT.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidRequestException("malformed JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new InvalidRequestException("the body must be a JSON object");
        }
        for (String name : json.propertyNames()) {
            if (!allowed.contains(name)) {
                throw new InvalidRequestException("unknown field '" + name + "'"
                        + ("type".equals(name) ? ": the type of a card cannot change" : ""));
            }
        }
        return json;
    }

    private static void metadataObject(JsonNode metadata) {
        if (!metadata.isObject()) {
            throw new InvalidRequestException("metadata must be an object");
        }
        for (String name : metadata.propertyNames()) {
            if (!METADATA_FIELDS.contains(name)) {
                throw new InvalidRequestException("unknown field 'metadata." + name + "'");
            }
        }
    }

    private static String optionalText(JsonNode json, String field, int max) {
        return optionalText(json, field, field, max);
    }

    private static String optionalText(JsonNode json, String label, String field, int max) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new InvalidRequestException(label + " must be a string");
        }
        String value = node.stringValue();
        if (value.codePointCount(0, value.length()) > max) {
            throw new InvalidRequestException(label + " is limited to " + max + " characters");
        }
        return value;
    }

    private static Edit<String> textEdit(JsonNode json, String field, int max) {
        return textEdit(json, field, field, max);
    }

    private static Edit<String> textEdit(JsonNode json, String label, String field, int max) {
        return json.has(field) ? Edit.to(optionalText(json, label, field, max)) : Edit.keep();
    }

    private static boolean flag(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new InvalidRequestException(field + " must be a boolean");
        }
        return node.booleanValue();
    }

    /** Tags and collections: strings, trimmed, non-empty, bounded, duplicates dropped, order kept. */
    private static List<String> labels(JsonNode json, String field, int maxItems, int maxLength) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidRequestException(field + " must be an array of strings");
        }
        if (node.size() > maxItems) {
            throw new InvalidRequestException(field + " is limited to " + maxItems + " entries");
        }
        Set<String> values = new LinkedHashSet<>();
        for (JsonNode item : node) {
            if (!item.isString()) {
                throw new InvalidRequestException(field + " must be an array of strings");
            }
            String value = item.stringValue().trim();
            if (value.isEmpty() || value.codePointCount(0, value.length()) > maxLength) {
                throw new InvalidRequestException("each of " + field + " must have 1 to " + maxLength + " characters");
            }
            values.add(value);
        }
        return new ArrayList<>(values);
    }

    private static Edit<List<String>> labelsEdit(JsonNode json, String field, int maxItems, int maxLength) {
        return json.has(field) ? Edit.to(labels(json, field, maxItems, maxLength)) : Edit.keep();
    }

    private static Long version(JsonNode json) {
        JsonNode node = json.get("version");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 1) {
            throw new InvalidRequestException("version must be a positive integer");
        }
        return node.longValue();
    }

    private static void httpUrl(String value, String field) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.isAbsolute() && (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return;
            }
        } catch (URISyntaxException e) {
            // Fall through to the 400 below.
        }
        throw new InvalidRequestException(field + " must be an absolute http(s) URL");
    }

    private static String imageUrl(String value) {
        if (value != null) {
            httpUrl(value, "metadata.image");
        }
        return value;
    }
}
