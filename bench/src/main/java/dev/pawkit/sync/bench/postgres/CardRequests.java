package dev.pawkit.sync.bench.postgres;

import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardRules;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.Metadata;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads request bodies as strictly as Pawkit does: JSON types never coerced, unknown fields
 * refused, absent told apart from null (JSON merge patch), and the card rules Pawkit's domain
 * states ({@link CardRules}, README "Limits"), so the same request gets the same 400 from both.
 */
final class CardRequests {

    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final int MAX_KEY = 255;

    /** A create: the client's id if it chose one, the fields, and the body in canonical form. */
    record Create(String id, Card.Fields fields, String canonical) {
    }

    /** A merge patch (checked: it applies without error) and the version it was based on, if any. */
    record Patch(JsonNode changes, Long version, String canonical) {
    }

    /** A delete: the version from its body, if any, and the body in canonical form. */
    record Delete(Long version, String canonical) {
    }

    /** The version a write expects; If-Match (412 on mismatch) or a body/query version (409). */
    record Expected(long version, boolean ifMatch) {
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
    /** Key order and whitespace are not meaning: the fingerprint hashes this form. */
    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .build();

    private CardRequests() {
    }

    static Create create(byte[] body) {
        JsonNode json = object(body, CREATE_FIELDS);
        String id = text(json, "id", "id", null);
        String type = text(json, "type", "type", null);
        if (type == null) {
            throw Problems.invalid("type is required: one of url, md-note, text-note");
        }
        if (CardType.fromWireName(type).isEmpty()) {
            throw Problems.invalid("type must be one of url, md-note, text-note");
        }
        Card.Fields fields = apply(Card.Fields.blank(type), json);
        requireNoViolation(violation(fields));
        return new Create(id == null ? null : uuid(id, "id"), fields, CANONICAL.writeValueAsString(json));
    }

    static Patch patch(byte[] body) {
        JsonNode json = object(body, PATCH_FIELDS);
        // The values on their own (400); what needs the card too (a url card keeps a url) is a 422 later.
        requireNoViolation(violation(apply(Card.Fields.blank("md-note"), json)));
        return new Patch(json, version(json), CANONICAL.writeValueAsString(json));
    }

    /** A delete's body is optional and may carry only {@code version}. */
    static Delete delete(byte[] body) {
        if (body == null || body.length == 0) {
            return new Delete(null, "");
        }
        JsonNode json = object(body, Set.of("version"));
        return new Delete(version(json), CANONICAL.writeValueAsString(json));
    }

    /** The fields after a merge patch (or a create's body over a blank card): Pawkit's rules of null and absent. */
    static Card.Fields apply(Card.Fields base, JsonNode json) {
        JsonNode metadata = json.get("metadata");
        boolean metadataCleared = metadata != null && metadata.isNull();
        if (metadata != null && !metadataCleared) {
            if (!metadata.isObject()) {
                throw Problems.invalid("metadata must be an object");
            }
            for (String name : metadata.propertyNames()) {
                if (!METADATA_FIELDS.contains(name)) {
                    throw Problems.invalid("unknown field 'metadata." + name + "'");
                }
            }
        }
        JsonNode meta = metadata == null || metadataCleared ? STRICT.createObjectNode() : metadata;
        return new Card.Fields(base.type(),
                text(json, "url", "url", base.url()),
                text(json, "title", "title", base.title()),
                text(json, "notes", "notes", base.notes()),
                text(json, "content", "content", base.content()),
                labels(json, "tags", CardRules.MAX_TAGS, base.tags()),
                labels(json, "collections", CardRules.MAX_COLLECTIONS, base.collections()),
                json.has("pinned") ? flag(json.get("pinned")) : base.pinned(),
                metadataCleared ? null : text(meta, "metadata.description", "description", base.description()),
                metadataCleared ? null : text(meta, "metadata.image", "image", base.image()));
    }

    /** The first card rule these fields break (naming the field), or null. */
    static String violation(Card.Fields f) {
        return CardRules.violation(new CardFields(CardType.fromWireName(f.type()).orElseThrow(), f.url(), f.title(),
                f.notes(), f.content(), f.tags(), f.collections(), f.pinned(),
                new Metadata(f.description(), f.image())));
    }

    /** If-Match or a version from the body or query (not both); null when neither: last write wins. */
    static Expected expected(String ifMatch, Long version) {
        if (ifMatch != null && version != null) {
            throw Problems.invalid("give either If-Match or a version, not both");
        }
        if (ifMatch == null) {
            return version == null ? null : new Expected(version, false);
        }
        String value = ifMatch.trim();
        if (value.equals("*")) {
            return null;
        }
        if (value.length() < 3 || !value.startsWith("\"") || !value.endsWith("\"")) {
            throw Problems.invalid("If-Match must be a strong ETag such as \"3\"");
        }
        return new Expected(positiveVersion(value.substring(1, value.length() - 1)), true);
    }

    static long positiveVersion(String text) {
        try {
            long version = Long.parseLong(text);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // Fall through to the 400 below.
        }
        throw Problems.invalid("version must be a positive integer");
    }

    static String key(String key) {
        if (key != null && (key.isEmpty() || key.length() > MAX_KEY
                || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f))) {
            throw Problems.invalid("Idempotency-Key must be 1 to " + MAX_KEY
                    + " printable ASCII characters (a UUID is recommended)");
        }
        return key;
    }

    /** The canonical lower-case form of a UUID, or a 400 naming {@code what}. */
    static String uuid(String value, String what) {
        try {
            UUID parsed = UUID.fromString(value);
            if (parsed.toString().equalsIgnoreCase(value)) {
                return parsed.toString();
            }
        } catch (IllegalArgumentException e) {
            // Fall through to the 400 below.
        }
        throw Problems.invalid(what + " must be a UUID");
    }

    private static JsonNode object(byte[] body, Set<String> allowed) {
        if (body == null || body.length == 0) {
            throw Problems.invalid("a JSON object body is required");
        }
        JsonNode json;
        try {
            json = STRICT.readTree(body);
        } catch (JacksonException e) {
            throw Problems.invalid("malformed JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw Problems.invalid("the body must be a JSON object");
        }
        for (String name : json.propertyNames()) {
            if (!allowed.contains(name)) {
                throw Problems.invalid("unknown field '" + name + "'"
                        + ("type".equals(name) ? ": the type of a card cannot change" : ""));
            }
        }
        return json;
    }

    private static void requireNoViolation(String violation) {
        if (violation != null) {
            throw Problems.invalid(violation);
        }
    }

    /** The field's text if the body has it (null for JSON null), else {@code otherwise}. */
    private static String text(JsonNode json, String label, String field, String otherwise) {
        if (!json.has(field)) {
            return otherwise;
        }
        JsonNode node = json.get(field);
        if (node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw Problems.invalid(label + " must be a string");
        }
        return node.stringValue();
    }

    private static boolean flag(JsonNode node) {
        if (node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw Problems.invalid("pinned must be a boolean");
        }
        return node.booleanValue();
    }

    /** Tags and collections: strings, trimmed, duplicates dropped, order kept (the form CardRules asks for). */
    private static List<String> labels(JsonNode json, String field, int maxItems, List<String> otherwise) {
        if (!json.has(field)) {
            return otherwise;
        }
        JsonNode node = json.get(field);
        if (node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw Problems.invalid(field + " must be an array of strings");
        }
        if (node.size() > maxItems) {
            throw Problems.invalid(field + " is limited to " + maxItems + " entries");
        }
        Set<String> values = new LinkedHashSet<>();
        for (JsonNode item : node) {
            if (!item.isString()) {
                throw Problems.invalid(field + " must be an array of strings");
            }
            values.add(item.stringValue().trim());
        }
        return List.copyOf(values);
    }

    private static Long version(JsonNode json) {
        JsonNode node = json.get("version");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 1) {
            throw Problems.invalid("version must be a positive integer");
        }
        return node.longValue();
    }
}
