package dev.pawkit.sync.api.contract;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks one real exchange against an OpenAPI 3.1 document: the route and method are there, the
 * status is documented for that operation, the body validates against the schema documented for
 * that status and media type, the answer's headers that mean something are documented for that
 * status, and the request headers that mean something are documented as header parameters.
 *
 * <p>Every object schema with properties is validated closed (as if additionalProperties were
 * false): the document tells clients to ignore unknown fields, but this check wants every field the
 * server sends to be documented, so a field dropped from the document fails it.
 */
public final class OpenApiCheck {

    /** The answer headers a client acts on: each must be documented where it occurs. */
    static final List<String> RESPONSE_HEADERS = List.of("ETag", "Location", "Idempotent-Replayed", "Retry-After");
    /** The request headers that change what a write does: each must be a documented header parameter. */
    static final List<String> REQUEST_HEADERS = List.of("Idempotency-Key", "If-Match", "If-None-Match", "Prefer");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    /** One request as sent and its answer as received. */
    public record Exchange(String method, String path, Map<String, String> requestHeaders, int status,
            Map<String, String> responseHeaders, String body) {
        @Override
        public String toString() {
            return method + " " + path + " -> " + status;
        }
    }

    private final JsonNode document;
    private final ObjectNode closedSchemas;

    public OpenApiCheck(JsonNode document) {
        this.document = document;
        this.closedSchemas = (ObjectNode) close(document.path("components").path("schemas").deepCopy());
    }

    /** What in the exchange the document does not describe; empty when it describes all of it. */
    public List<String> discrepancies(Exchange exchange) {
        List<String> found = new ArrayList<>();
        String path = pathOf(exchange.path());
        Optional<String> template = template(path);
        JsonNode operation = template.isEmpty() ? null : document.path("paths").path(template.get())
                .path(exchange.method().toLowerCase(Locale.ROOT));
        if (operation == null || !operation.isObject()) {
            // No operation to list it under (an unknown route, a method the route does not take):
            // the answer must still be one of the document's problems, whatever it is.
            return undocumentedRoute(exchange, template.isEmpty()
                    ? "no documented path matches " + path
                    : exchange.method() + " " + template.get() + " is not documented");
        }
        // A refused request may carry any header; what a header does is documented for the answers it makes.
        for (String header : exchange.status() < 400 ? REQUEST_HEADERS : List.<String>of()) {
            if (has(exchange.requestHeaders(), header) && !documentsHeaderParameter(operation, header)) {
                found.add(exchange + ": request header " + header + " is not a documented parameter");
            }
        }
        JsonNode response = operation.path("responses").path(String.valueOf(exchange.status()));
        if (!response.isObject()) {
            found.add(exchange + ": status " + exchange.status() + " is not documented for "
                    + exchange.method() + " " + template.get() + " (body " + exchange.body() + ")");
            return found;
        }
        for (String header : RESPONSE_HEADERS) {
            if (has(exchange.responseHeaders(), header) && !hasField(response.path("headers"), header)) {
                found.add(exchange + ": answer header " + header + " is not documented for this status");
            }
        }
        if (exchange.body() == null || exchange.body().isEmpty()) {
            return found;
        }
        String contentType = value(exchange.responseHeaders(), "Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        JsonNode schema = response.path("content").path(mediaType).path("schema");
        if (!schema.isObject()) {
            found.add(exchange + ": no schema documented for " + mediaType + " at this status");
            return found;
        }
        if (mediaType.endsWith("json")) {
            for (Error error : validate(schema, JSON.readTree(exchange.body()))) {
                found.add(exchange + ": " + error.getInstanceLocation() + " " + error.getMessage()
                        + " (body " + exchange.body() + ")");
            }
        }
        return found;
    }

    /**
     * An answer on a route the document has no operation for: a problem (status 400 or more,
     * application/problem+json) whose body validates against the document's {@code Problem}, the
     * oneOf of every problem type it lists, so a type it does not list fails.
     */
    private List<String> undocumentedRoute(Exchange exchange, String why) {
        String contentType = value(exchange.responseHeaders(), "Content-Type");
        if (exchange.status() < 400 || contentType == null || !contentType.startsWith("application/problem+json")) {
            return List.of(exchange + ": " + why + ", and the answer is not a problem (body " + exchange.body() + ")");
        }
        List<String> found = new ArrayList<>();
        JsonNode problem = JSON.readTree(exchange.body());
        for (Error error : validate(JSON.readTree("{\"$ref\":\"#/components/schemas/Problem\"}"), problem)) {
            found.add(exchange + ": " + why + ", and the problem is none the document lists: "
                    + error.getInstanceLocation() + " " + error.getMessage() + " (body " + exchange.body() + ")");
        }
        return found;
    }

    /** The path of a request target, without its query; one that is not a valid URI taken as it is. */
    private static String pathOf(String target) {
        String path = target.split("\\?", 2)[0];
        try {
            return URI.create(path).getPath();
        } catch (IllegalArgumentException notAUri) {
            return path;
        }
    }

    /** Validates a JSON value against a schema of the document (closed, with the document's components). */
    List<Error> validate(JsonNode schema, JsonNode value) {
        ObjectNode root = (ObjectNode) close(schema.deepCopy());
        root.put("$schema", SpecificationVersion.DRAFT_2020_12.getDialectId());
        // "#/components/schemas/Card" then resolves within this root, as within the document.
        root.putObject("components").set("schemas", closedSchemas);
        Schema validator = SCHEMAS.getSchema(root);
        return validator.validate(value, context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)));
    }

    /** The documented path template for a concrete path; the most literal one when several match. */
    private Optional<String> template(String path) {
        List<String> matches = new ArrayList<>();
        document.path("paths").propertyNames().forEach(template -> {
            String regex = Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            if (path.matches(regex)) {
                matches.add(template);
            }
        });
        return matches.stream().min(Comparator.comparingLong(t -> t.chars().filter(c -> c == '{').count()));
    }

    private static boolean documentsHeaderParameter(JsonNode operation, String header) {
        for (JsonNode parameter : operation.path("parameters")) {
            if ("header".equals(parameter.path("in").asString(""))
                    && header.equalsIgnoreCase(parameter.path("name").asString(""))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasField(JsonNode object, String name) {
        return object.isObject() && object.propertyNames().stream().anyMatch(name::equalsIgnoreCase);
    }

    private static boolean has(Map<String, String> headers, String name) {
        return value(headers, name) != null;
    }

    private static String value(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** The schema with every object schema that lists properties closed to other properties. */
    private static JsonNode close(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            object.properties().forEach(entry -> close(entry.getValue()));
        } else if (node instanceof ArrayNode array) {
            array.forEach(OpenApiCheck::close);
        }
        return node;
    }
}
