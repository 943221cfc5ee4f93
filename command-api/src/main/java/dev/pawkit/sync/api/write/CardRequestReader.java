package dev.pawkit.sync.api.write;

import dev.pawkit.sync.api.web.InvalidRequestException;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.CardRules;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.Edit;
import dev.pawkit.sync.domain.Metadata;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads card request bodies strictly: JSON types are never coerced, unknown fields are refused,
 * and "absent" is told apart from "null" (JSON merge patch). What it reads must then keep the
 * domain's {@link CardRules} (limits, URLs): the decider would reject it anyway, but checked here
 * it is a 400 before anything is appended. Anything wrong is a 400 that says which field and why.
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
        String id = optionalText(json, "id");
        if (id != null) {
            id = uuid(id, "id");
        }
        String typeName = optionalText(json, "type");
        if (typeName == null) {
            throw new InvalidRequestException("type is required: one of url, md-note, text-note");
        }
        CardType type = CardType.fromWireName(typeName).orElseThrow(() ->
                new InvalidRequestException("type must be one of url, md-note, text-note"));
        JsonNode metadata = json.get("metadata");
        Metadata meta = Metadata.EMPTY;
        if (metadata != null && !metadata.isNull()) {
            metadataObject(metadata);
            meta = new Metadata(optionalText(metadata, "metadata.description", "description"),
                    optionalText(metadata, "metadata.image", "image"));
        }
        CardFields fields = new CardFields(type,
                optionalText(json, "url"),
                optionalText(json, "title"),
                optionalText(json, "notes"),
                optionalText(json, "content"),
                labels(json, "tags", CardRules.MAX_TAGS),
                labels(json, "collections", CardRules.MAX_COLLECTIONS),
                flag(json, "pinned"),
                meta);
        requireNoViolation(CardRules.violation(fields));
        return new CreateRequest(id, fields);
    }

    public static PatchRequest readPatch(byte[] body) {
        JsonNode json = object(body, PATCH_FIELDS);
        Edit<String> description = Edit.keep();
        Edit<String> image = Edit.keep();
        JsonNode metadata = json.get("metadata");
        if (metadata != null) {
            if (metadata.isNull()) {
                description = Edit.to(null);
                image = Edit.to(null);
            } else {
                metadataObject(metadata);
                description = textEdit(metadata, "metadata.description", "description");
                image = textEdit(metadata, "metadata.image", "image");
            }
        }
        CardPatch patch = new CardPatch(
                textEdit(json, "url"),
                textEdit(json, "title"),
                textEdit(json, "notes"),
                textEdit(json, "content"),
                labelsEdit(json, "tags", CardRules.MAX_TAGS),
                labelsEdit(json, "collections", CardRules.MAX_COLLECTIONS),
                json.has("pinned") ? Edit.to(flag(json, "pinned")) : Edit.keep(),
                description, image);
        Long version = version(json);
        // Only the values the patch sets; what needs the card too (a url card keeps its url) is the decider's 422.
        requireNoViolation(CardRules.violation(patch));
        return new PatchRequest(patch, version);
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

    /** The body as a JSON object (strict: no duplicate key, nothing after it) with no field but {@code allowed}. */
    static JsonNode object(byte[] body, Set<String> allowed) {
        if (body == null || body.length == 0) {
            throw new InvalidRequestException("a JSON object body is required");
        }
        requireUtf8(body);
        JsonNode json;
        try {
            json = STRICT.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidRequestException("malformed JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new InvalidRequestException("the body must be a JSON object");
        }
        requireWellFormedText(json);
        knownFields(json, allowed, "");
        return json;
    }

    /**
     * Strict UTF-8 (RFC 3629): no overlong form, no encoded surrogate, nothing truncated. A lenient
     * decoder would store such bytes as another character than the one sent.
     */
    private static void requireUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw new InvalidRequestException("the body is not valid UTF-8");
        }
    }

    /**
     * No lone surrogate in any name or string ({@code "\\ud800"} is valid JSON but no character):
     * stored, it would be written to the log as '?' (UTF-8 cannot encode it), a silent change.
     */
    private static void requireWellFormedText(JsonNode node) {
        if (node.isString()) {
            requireWellFormed(node.stringValue());
        } else if (node.isObject()) {
            for (String name : node.propertyNames()) {
                requireWellFormed(name);
                requireWellFormedText(node.get(name));
            }
        } else if (node.isArray()) {
            node.forEach(CardRequestReader::requireWellFormedText);
        }
    }

    private static void requireWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidRequestException("text must be Unicode characters: a lone surrogate (\\u"
                        + Integer.toHexString(c) + ") is not one");
            }
        }
    }

    /** A 400 for any field of {@code json} not in {@code allowed}, named with {@code prefix} (say "metadata."). */
    static void knownFields(JsonNode json, Set<String> allowed, String prefix) {
        for (String name : json.propertyNames()) {
            if (!allowed.contains(name)) {
                throw new InvalidRequestException("unknown field '" + prefix + name + "'"
                        + ("type".equals(name) && prefix.isEmpty() ? ": the type of a card cannot change" : ""));
            }
        }
    }

    private static void metadataObject(JsonNode metadata) {
        if (!metadata.isObject()) {
            throw new InvalidRequestException("metadata must be an object");
        }
        knownFields(metadata, METADATA_FIELDS, "metadata.");
    }

    /** A 400 with the rule's reason (it names the field), unless there is none. */
    private static void requireNoViolation(String violation) {
        if (violation != null) {
            throw new InvalidRequestException(violation);
        }
    }

    /** The field's text, null when absent or null, a 400 when it is not a string. */
    static String optionalText(JsonNode json, String field) {
        return optionalText(json, field, field);
    }

    private static String optionalText(JsonNode json, String label, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new InvalidRequestException(label + " must be a string");
        }
        return node.stringValue();
    }

    private static Edit<String> textEdit(JsonNode json, String field) {
        return textEdit(json, field, field);
    }

    private static Edit<String> textEdit(JsonNode json, String label, String field) {
        return json.has(field) ? Edit.to(optionalText(json, label, field)) : Edit.keep();
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

    /**
     * Tags and collections: strings, trimmed, duplicates dropped, order kept, which is the normal
     * form {@link CardRules} asks for (it checks each entry's length after this).
     */
    private static List<String> labels(JsonNode json, String field, int maxItems) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidRequestException(field + " must be an array of strings");
        }
        // Counted as sent, before duplicates are dropped: too many entries are refused even if some repeat.
        if (node.size() > maxItems) {
            throw new InvalidRequestException(field + " is limited to " + maxItems + " entries");
        }
        Set<String> values = new LinkedHashSet<>();
        for (JsonNode item : node) {
            if (!item.isString()) {
                throw new InvalidRequestException(field + " must be an array of strings");
            }
            values.add(item.stringValue().trim());
        }
        return new ArrayList<>(values);
    }

    private static Edit<List<String>> labelsEdit(JsonNode json, String field, int maxItems) {
        return json.has(field) ? Edit.to(labels(json, field, maxItems)) : Edit.keep();
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
}
