package dev.pawkit.sync.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The card's JSON, both on the wire (request bodies, answers, the change feed) and in the local
 * store, which keeps fields, patches and server cards in the API's own shapes.
 */
final class CardJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private CardJson() {
    }

    static JsonNode parse(String json) {
        return MAPPER.readTree(json);
    }

    /** The body of {@code POST /api/cards}: the fields with the client-chosen id. */
    static String createBody(String cardId, CardFields fields) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("id", cardId);
        writeFields(body, fields);
        return MAPPER.writeValueAsString(body);
    }

    /** The body of {@code PATCH /api/cards/{id}}: the changed fields (null clears) and the base version. */
    static String patchBody(CardPatch patch, long version) {
        ObjectNode body = patchNode(patch);
        if (version > 0) {
            body.put("version", version);
        }
        return MAPPER.writeValueAsString(body);
    }

    /**
     * The body of {@code POST /api/batch}: each operation as the request it is alone (method, path,
     * key, body), the base version in the body as alone; a delete's version goes in its body
     * ({@code {"version": n}}), the batch's form of the single request's {@code ?version=}.
     */
    static String batchBody(List<Operation> ops) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode operations = body.putArray("operations");
        for (Operation op : ops) {
            ObjectNode member = operations.addObject();
            switch (op.kind()) {
                case CREATE -> member.put("method", "POST").put("path", "/api/cards")
                        .set("body", MAPPER.readTree(createBody(op.cardId(), op.fields())));
                case UPDATE -> member.put("method", "PATCH").put("path", "/api/cards/" + op.cardId())
                        .set("body", MAPPER.readTree(patchBody(op.patch(), op.baseVersion())));
                case DELETE -> {
                    member.put("method", "DELETE").put("path", "/api/cards/" + op.cardId());
                    if (op.baseVersion() > 0) {
                        member.putObject("body").put("version", op.baseVersion());
                    }
                }
                case REFRESH_METADATA -> throw new IllegalArgumentException("a refresh is not sent in a batch");
            }
            member.put("idempotencyKey", op.idempotencyKey());
        }
        return MAPPER.writeValueAsString(body);
    }

    /**
     * The members' answers of a batch, in order, each as the same request alone would have been
     * answered; null when the body is not a batch answer.
     */
    static List<ApiResponse> batchResults(String json) {
        JsonNode results = parse(json).get("results");
        if (results == null || !results.isArray()) {
            return null;
        }
        List<ApiResponse> answers = new ArrayList<>();
        for (JsonNode result : results.values()) {
            JsonNode headers = result.path("headers");
            JsonNode body = result.get("body");
            answers.add(new ApiResponse(result.path("status").asInt(0),
                    body == null || body.isNull() ? null : MAPPER.writeValueAsString(body),
                    text(headers.get("Location")), text(headers.get("Retry-After"))));
        }
        return answers;
    }

    static String fields(CardFields fields) {
        ObjectNode node = MAPPER.createObjectNode();
        writeFields(node, fields);
        return MAPPER.writeValueAsString(node);
    }

    static CardFields readFields(String json) {
        return readFields(parse(json));
    }

    static String patch(CardPatch patch) {
        return MAPPER.writeValueAsString(patchNode(patch));
    }

    static CardPatch readPatch(String json) {
        JsonNode node = parse(json);
        CardPatch patch = CardPatch.empty();
        for (CardField field : CardField.values()) {
            JsonNode value = at(node, field);
            if (value != null) {
                patch = patch.with(field, value(field, value));
            }
        }
        return patch;
    }

    /** A card as the server sends it (a write's answer, {@code currentCard}, a change feed item). */
    static ServerCard readCard(JsonNode node) {
        JsonNode status = node.get("metadataStatus");
        return new ServerCard(
                node.get("id").asString(),
                node.get("version").asLong(),
                readFields(node),
                status == null || status.isNull() ? null : text(status.get("state")),
                node.path("deleted").asBoolean(false),
                text(node.get("updatedAt")));
    }

    /** A server card for the local cache, in the server's shape so {@link #readCard} reads it back. */
    static String card(ServerCard card) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", card.id());
        writeFields(node, card.fields());
        if (card.metadataState() != null) {
            node.putObject("metadataStatus").put("state", card.metadataState());
        }
        node.put("version", card.version());
        node.put("updatedAt", card.updatedAt());
        node.put("deleted", card.deleted());
        return MAPPER.writeValueAsString(node);
    }

    private static void writeFields(ObjectNode node, CardFields fields) {
        node.put("type", fields.type().wireName());
        putIfPresent(node, "url", fields.url());
        putIfPresent(node, "title", fields.title());
        putIfPresent(node, "notes", fields.notes());
        putIfPresent(node, "content", fields.content());
        labels(node.putArray("tags"), fields.tags());
        labels(node.putArray("collections"), fields.collections());
        node.put("pinned", fields.pinned());
        if (fields.description() != null || fields.image() != null) {
            ObjectNode metadata = node.putObject("metadata");
            putIfPresent(metadata, "description", fields.description());
            putIfPresent(metadata, "image", fields.image());
        }
    }

    private static CardFields readFields(JsonNode node) {
        JsonNode metadata = node.path("metadata");
        return new CardFields(
                CardType.fromWireName(node.get("type").asString()),
                text(node.get("url")),
                text(node.get("title")),
                text(node.get("notes")),
                text(node.get("content")),
                labels(node.get("tags")),
                labels(node.get("collections")),
                node.path("pinned").asBoolean(false),
                text(metadata.get("description")),
                text(metadata.get("image")));
    }

    private static ObjectNode patchNode(CardPatch patch) {
        ObjectNode body = MAPPER.createObjectNode();
        for (Map.Entry<CardField, Object> change : patch.changes().entrySet()) {
            CardField field = change.getKey();
            ObjectNode target = body;
            String name = field.wireName();
            if (name.startsWith("metadata.")) {
                target = body.has("metadata") ? (ObjectNode) body.get("metadata") : body.putObject("metadata");
                name = name.substring("metadata.".length());
            }
            Object value = change.getValue();
            if (value == null) {
                target.putNull(name);
            } else if (value instanceof Boolean flag) {
                target.put(name, flag);
            } else if (value instanceof List<?> list) {
                labels(target.putArray(name), list.stream().map(String.class::cast).toList());
            } else {
                target.put(name, (String) value);
            }
        }
        return body;
    }

    /** The node of a field in a patch, or null when the patch leaves the field alone. */
    private static JsonNode at(JsonNode patch, CardField field) {
        String name = field.wireName();
        if (name.startsWith("metadata.")) {
            JsonNode metadata = patch.get("metadata");
            return metadata == null ? null : metadata.get(name.substring("metadata.".length()));
        }
        return patch.get(name);
    }

    private static Object value(CardField field, JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (field.isSet()) {
            return labels(value);
        }
        return field == CardField.PINNED ? (Object) value.asBoolean() : value.asString();
    }

    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    private static void labels(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static List<String> labels(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.values().forEach(v -> values.add(v.asString()));
        }
        return values;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asString();
    }
}
