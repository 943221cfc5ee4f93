package dev.pawkit.sync.api.web;

import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.MetadataStatus;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API's description, served by springdoc at {@code /v3/api-docs} (Swagger UI at
 * {@code /swagger-ui.html}). springdoc finds the routes, path and query parameters and the
 * headers read with {@code @RequestHeader} from the controllers; the controllers answer with
 * {@code ResponseEntity<?>} and read raw bodies, so what they send and take is declared here, in
 * one table per operation, rather than in annotations that would bury the controllers.
 *
 * <p>{@code ApiDocumentationContractTest} sends real requests and checks that each answer's status
 * is documented for its operation and its body validates against the documented schema, so this
 * table cannot drift from what the server does without a test failing.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";
    private static final String SCHEMAS = "#/components/schemas/";
    private static final String HEADERS = "#/components/headers/";

    /**
     * Every problem type the API answers with (RFC 9457), by name: its status and title. A
     * conflict carries the card as it is now, so the client can merge or retry.
     */
    private record ProblemType(String name, int status, String title, boolean conflict, String meaning) {
    }

    private static final List<ProblemType> PROBLEM_TYPES = List.of(
            new ProblemType("invalid-request", 400, "Invalid request", false,
                    "the request is malformed: a bad id, field, header, cursor or limit; the detail says which"),
            new ProblemType("erase-not-confirmed", 400, "Erasure not confirmed", false,
                    "erasing a user needs Confirm-Erase naming that user's id; nothing was erased"),
            new ProblemType("unauthorized", 401, "Unauthorized", false, "no valid bearer token"),
            new ProblemType("forbidden", 403, "Forbidden", false, "the token may not do that (operator routes)"),
            new ProblemType("dev-sign-in-disabled", 403, "Development sign-in disabled", false,
                    "this server does not mint development tokens"),
            new ProblemType("not-found", 404, "Not found", false,
                    "no such card or command for this user, or no such route"),
            // Spring MVC's and Tomcat's own refusals, typed by Problems.forStatus after their status.
            new ProblemType("method-not-allowed", 405, "Method Not Allowed", false,
                    "the route does not take this method (the Allow header lists those it takes)"),
            new ProblemType("not-acceptable", 406, "Not Acceptable", false,
                    "the Accept header excludes JSON, the only thing this route answers with"),
            new ProblemType("request-timeout", 408, "Request timeout", false,
                    "the request body did not arrive within pawkit.http.body-timeout; nothing was done: send it"
                            + " again (with the same Idempotency-Key)"),
            new ProblemType("version-conflict", 409, "Version conflict", true,
                    "the version given is not the card's current one"),
            new ProblemType("card-exists", 409, "Card exists", true, "a create with an id the user already has"),
            new ProblemType("analytics-shared", 409, "Analytics runs on other instances", false,
                    "the statistics reset needs this instance to be the only one"),
            new ProblemType("card-deleted", 410, "Gone", false, "the card was deleted; a deleted card never comes back"),
            new ProblemType("precondition-failed", 412, "Precondition failed", true,
                    "If-Match does not match the card's current version"),
            new ProblemType("payload-too-large", 413, "Payload too large", false, "the body is over the limit"),
            new ProblemType("unsupported-media-type", 415, "Unsupported media type", false,
                    "the body is not application/json"),
            new ProblemType("invalid-card", 422, "Invalid card", false,
                    "well-formed, but the card it would make breaks a rule (a url card without a url…)"),
            new ProblemType("idempotency-key-reused", 422, "Idempotency key reused", false,
                    "this Idempotency-Key was used for a different request"),
            new ProblemType("rate-limited", 429, "Too many requests", false,
                    "this user's writes are over the rate limit; nothing was written: retry after Retry-After"),
            new ProblemType("too-many-streams", 429, "Too many streams", false,
                    "this user has as many change streams open here as one user may"),
            new ProblemType("internal-error", 500, "Internal error", false, "an unexpected failure"),
            new ProblemType("broker-unavailable", 503, "Service unavailable", false,
                    "the event log is unreachable; retry with the same Idempotency-Key"),
            new ProblemType("projector-unavailable", 503, "Service unavailable", false,
                    "card views are being rebuilt or moved; retry"),
            new ProblemType("analytics-unavailable", 503, "Service unavailable", false,
                    "statistics are being rebuilt; retry"),
            new ProblemType("streams-unavailable", 503, "Service unavailable", false,
                    "this instance holds all the change streams it may; retry"));

    @Bean
    OpenAPI pawkitOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Pawkit Sync API").version("1")
                        .description("Cards synced through an event log. Writes are commands: the answer is the"
                                + " projector's decision. Every error is application/problem+json (RFC 9457)."))
                .components(new Components().addSecuritySchemes("bearer", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                        .description("The user is the token's sub; operator routes need scope operator.")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    @Bean
    OpenApiCustomizer pawkitContract() {
        return openApi -> {
            Components components = openApi.getComponents();
            // What springdoc derived from return types that the table below replaces: referenced nowhere.
            if (components.getSchemas() != null) {
                components.getSchemas().keySet().removeAll(List.of("SseEmitter", "ProblemDetail"));
            }
            schemas().forEach(components::addSchemas);
            headers().forEach(components::addHeaders);
            document(openApi);
        };
    }

    // ---- Operations: what each route takes and answers ----

    private static void document(OpenAPI openApi) {
        // Where the servlet container sends its own errors (ProblemErrorController), not a route to call.
        openApi.getPaths().remove("/error");
        operation(openApi, "/api/cards", PathItem.HttpMethod.POST, "Create a card", ref("CardCreate"),
                ok(201, "Created (or, with Idempotent-Replayed, the first answer to this key again)", "Card",
                        "Location", "ETag", "Idempotent-Replayed"),
                pending(), decisions(WRITES, "card-exists", "invalid-card", "idempotency-key-reused"));
        operation(openApi, "/api/cards", PathItem.HttpMethod.GET, "List live cards, a page at a time", null,
                ok(200, "A page of cards", "CardPage"), problems("projector-unavailable"));
        operation(openApi, "/api/cards/{id}", PathItem.HttpMethod.GET, "Read a card (now, or asOfVersion/asOf)",
                null, ok(200, "The card", "Card", "ETag"), notModified(), problems("not-found", "projector-unavailable"));
        operation(openApi, "/api/cards/{id}", PathItem.HttpMethod.PATCH,
                "Update a card (If-Match or version in the body)", ref("CardPatch"),
                ok(200, "Updated (or the first answer to this key again)", "Card", "ETag", "Idempotent-Replayed"),
                pending(), decisions(WRITES, "not-found", "version-conflict", "card-deleted", "precondition-failed",
                        "invalid-card", "idempotency-key-reused"));
        operation(openApi, "/api/cards/{id}", PathItem.HttpMethod.DELETE,
                "Delete a card (If-Match, ?version= or version in the body)", ref("CardDelete"),
                ok(200, "Deleted (or the first answer to this key again)", "DeletedCard", "Idempotent-Replayed"),
                pending(), decisions(WRITES, "not-found", "version-conflict", "card-deleted", "precondition-failed",
                        "idempotency-key-reused"));
        operation(openApi, "/api/cards/{id}/refresh-metadata", PathItem.HttpMethod.POST,
                "Fetch a url card's page metadata again", null,
                new Answer(202, "Accepted: the card with metadataStatus pending, or the command still pending",
                        anyOf("Card", "Pending"), JSON, List.of("Location", "ETag", "Retry-After")),
                decisions(WRITES, "not-found", "card-deleted", "invalid-card", "idempotency-key-reused"));
        operation(openApi, "/api/cards/{id}/history", PathItem.HttpMethod.GET, "Every change of a card", null,
                ok(200, "A page of the card's history", "HistoryPage"), problems("not-found", "projector-unavailable"));
        operation(openApi, "/api/cards/changes", PathItem.HttpMethod.GET, "Cards changed since a cursor", null,
                ok(200, "A page of the change feed", "ChangesPage"), problems("projector-unavailable"));
        operation(openApi, "/api/cards/changes/stream", PathItem.HttpMethod.GET,
                "The change feed as server-sent events (each event's id is the cursor after it)", null,
                new Answer(200, "Events: data is a card, id the feed cursor", new Schema<>().types(types("string")),
                        "text/event-stream", List.of()),
                problems("too-many-streams", "streams-unavailable"));
        operation(openApi, "/api/commands/{id}", PathItem.HttpMethod.GET,
                "A write's decision: the same status, headers and body as the write's own answer", null,
                new Answer(200, "Decided: updated or deleted", anyOf("Card", "DeletedCard"), JSON,
                        List.of("ETag", "Idempotent-Replayed")),
                ok(201, "Decided: created", "Card", "Location", "ETag", "Idempotent-Replayed"),
                pending(), decisions(List.of(), "not-found", "version-conflict", "card-exists", "card-deleted",
                        "precondition-failed", "invalid-card", "idempotency-key-reused", "projector-unavailable"));
        operation(openApi, "/api/batch", PathItem.HttpMethod.POST,
                "Up to 100 card writes, each answered as if sent alone; not atomic", ref("BatchRequest"),
                ok(200, "One result per operation, in order", "BatchResponse"),
                problems("payload-too-large", "unsupported-media-type", "request-timeout"));
        Answer erased = new Answer(204, "Erased, committed (also when nothing was left to erase)", null, null, List.of());
        operation(openApi, "/api/me", PathItem.HttpMethod.DELETE, "Forget me: every card, its history and every"
                + " stored answer, and my data keys, so nothing I wrote can be read again (Confirm-Erase: my id)", null,
                erased, pending(), problems(WRITES, "erase-not-confirmed"));
        operation(openApi, "/api/users/{userId}", PathItem.HttpMethod.DELETE,
                "Forget a user, as DELETE /api/me does (operators; Confirm-Erase: that user's id)", null,
                erased, pending(), problems(WRITES, "forbidden", "erase-not-confirmed"));
        operation(openApi, "/api/stats", PathItem.HttpMethod.GET, "The caller's own statistics", null,
                ok(200, "Statistics", "Stats"), problems("analytics-unavailable"));
        operation(openApi, "/api/stats/global", PathItem.HttpMethod.GET, "Everyone's statistics (operators)", null,
                ok(200, "Statistics", "GlobalStats"), problems("forbidden", "analytics-unavailable"));
        operation(openApi, "/api/stats/reset", PathItem.HttpMethod.POST, "Rebuild statistics (operators)", null,
                new Answer(202, "Reset started", object(), JSON, List.of("Location")),
                problems("forbidden", "analytics-shared", "analytics-unavailable", "request-timeout"));
        operation(openApi, "/dev/sign-in", PathItem.HttpMethod.POST,
                "A development token (only where tokens are checked with the local secret)", null,
                ok(200, "A token", "DevToken"), problems("dev-sign-in-disabled", "payload-too-large",
                        "request-timeout"));
        openApi.getPaths().get("/dev/sign-in").getPost().setSecurity(List.of());
        describeHeaderParameters(openApi);
    }

    /** One documented answer: a status, its body schema and media type, and the headers it may carry. */
    private record Answer(int status, String description, Schema<?> schema, String mediaType, List<String> headers) {
    }

    private static Answer ok(int status, String description, String schema, String... headers) {
        return new Answer(status, description, ref(schema), JSON, List.of(headers));
    }

    private static Answer pending() {
        return new Answer(202, "Appended, not decided yet: poll the Location", ref("Pending"), JSON,
                List.of("Location", "Retry-After"));
    }

    private static Answer notModified() {
        return new Answer(304, "Not modified (If-None-Match matched the ETag)", null, null, List.of("ETag"));
    }

    /**
     * Problems any route may answer: a bad request, no token, an Accept header without JSON, an
     * unexpected failure. (A method a route does not take is a method-not-allowed problem, and an
     * unknown route a not-found one: neither has an operation to be listed under.)
     */
    private static final List<String> ALWAYS = List.of("invalid-request", "unauthorized", "not-acceptable",
            "internal-error");
    /**
     * Problems of the write routes besides those: body limits (size, and time: RequestBodyReader's
     * 408), the rate limit and the event log being down.
     */
    private static final List<String> WRITES = List.of("payload-too-large", "request-timeout",
            "unsupported-media-type", "rate-limited", "broker-unavailable");

    /**
     * The refusals the projector decides (a write's decision, stored with its Idempotency-Key): a
     * retry with the key answers the same refusal again, with Idempotent-Replayed.
     */
    private static final List<String> DECIDED = List.of("not-found", "version-conflict", "card-exists",
            "card-deleted", "precondition-failed", "invalid-card");

    /** A write's problem answers: as {@link #problems(List, String...)}, a decided refusal possibly replayed. */
    private static Answer[] decisions(List<String> common, String... names) {
        return problems(common, true, names);
    }

    private static Answer[] problems(List<String> common, String... names) {
        return problems(common, false, names);
    }

    /**
     * The problem answers of these types (and ALWAYS's), one per status: a oneOf of the types of
     * that status, so a body of a type not named here does not validate. {@code replayable}: a decided refusal may be
     * answered again to a retry with its Idempotency-Key (header Idempotent-Replayed).
     */
    private static Answer[] problems(List<String> common, boolean replayable, String... names) {
        List<String> wanted = new ArrayList<>(ALWAYS);
        wanted.addAll(common);
        wanted.addAll(List.of(names));
        for (String name : wanted) {
            if (PROBLEM_TYPES.stream().noneMatch(t -> t.name().equals(name))) {
                throw new IllegalStateException("no problem type " + name);
            }
        }
        Map<Integer, List<ProblemType>> byStatus = new java.util.TreeMap<>();
        PROBLEM_TYPES.stream().filter(t -> wanted.contains(t.name()))
                .forEach(t -> byStatus.computeIfAbsent(t.status(), s -> new ArrayList<>()).add(t));
        List<Answer> answers = new ArrayList<>();
        byStatus.forEach((status, types) -> {
            Schema<?> schema = types.size() == 1 ? ref(problemSchemaName(types.get(0)))
                    : new Schema<>().oneOf(types.stream().<Schema>map(t -> ref(problemSchemaName(t))).toList());
            String description = String.join(", ", types.stream().map(ProblemType::name).toList());
            List<String> headers = new ArrayList<>(status == 503 || status == 429 ? List.of("Retry-After") : List.of());
            if (replayable && types.stream().anyMatch(t -> DECIDED.contains(t.name()))) {
                headers.add("Idempotent-Replayed");
            }
            answers.add(new Answer(status, description, schema, PROBLEM_JSON, headers));
        });
        return answers.toArray(Answer[]::new);
    }

    private static Answer[] problems(String... names) {
        return problems(List.of(), false, names);
    }

    /**
     * Replaces what springdoc guessed for one operation's body and answers with the table's. A route
     * missing here fails the document (500 at /v3/api-docs), so a renamed route cannot silently
     * lose its documentation; ApiDocumentationContractTest loads the document.
     */
    private static void operation(OpenAPI openApi, String path, PathItem.HttpMethod method, String summary,
            Schema<?> requestBody, Object... answers) {
        PathItem item = openApi.getPaths() == null ? null : openApi.getPaths().get(path);
        Operation operation = item == null ? null : item.readOperationsMap().get(method);
        if (operation == null) {
            throw new IllegalStateException("no operation " + method + " " + path + " to document");
        }
        operation.setSummary(summary);
        if (requestBody != null) {
            operation.setRequestBody(new RequestBody().required(method == PathItem.HttpMethod.POST)
                    .content(new Content().addMediaType(JSON, new MediaType().schema(requestBody))));
        } else if (operation.getRequestBody() != null) {
            // A raw byte[] body springdoc saw: this operation takes none.
            operation.setRequestBody(null);
        }
        ApiResponses responses = new ApiResponses();
        for (Object entry : answers) {
            for (Answer answer : entry instanceof Answer[] many ? many : new Answer[] {(Answer) entry}) {
                ApiResponse response = new ApiResponse().description(answer.description());
                if (answer.schema() != null) {
                    response.content(new Content().addMediaType(answer.mediaType(),
                            new MediaType().schema(answer.schema())));
                }
                for (String header : answer.headers()) {
                    response.addHeaderObject(header, new Header().$ref(HEADERS + header));
                }
                responses.addApiResponse(String.valueOf(answer.status()), response);
            }
        }
        operation.setResponses(responses);
    }

    /** Descriptions of the request headers the write path reads (springdoc knows only their names). */
    private static void describeHeaderParameters(OpenAPI openApi) {
        Map<String, String> descriptions = Map.of(
                "Idempotency-Key", "Makes the write safe to retry: the same key and request answer the first"
                        + " decision again (with Idempotent-Replayed: true); the same key with another request is"
                        + " a 422. Printable ASCII, at most 255 characters.",
                "If-Match", "The card's ETag as last seen (\"3\"): the write applies only to that version, else 412.",
                "If-None-Match", "An ETag: 304 when the card still has it.",
                "Prefer", "respond-async: answer 202 at once instead of waiting for the decision.",
                "X-Client-Id", "The device or app making the change, recorded in the card's history.",
                "Confirm-Erase", "The id of the user being erased, again: without it nothing is erased (400).");
        openApi.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> {
            if (operation.getParameters() == null) {
                return;
            }
            for (Parameter parameter : operation.getParameters()) {
                if ("header".equals(parameter.getIn()) && descriptions.containsKey(parameter.getName())) {
                    parameter.setDescription(descriptions.get(parameter.getName()));
                }
            }
        }));
        // Read from the request, not by @RequestHeader, so springdoc cannot see it.
        openApi.getPaths().get("/api/cards/changes/stream").getGet().addParametersItem(new Parameter()
                .in("header").name("Last-Event-ID").required(false).schema(new Schema<>().types(types("string")))
                .description("A reconnecting client's last event id: the stream resumes after it (wins over since)."));
    }

    // ---- Headers ----

    private static Map<String, Header> headers() {
        Map<String, Header> headers = new LinkedHashMap<>();
        headers.put("ETag", new Header().schema(string()).description(
                "The card's version as a strong entity tag (\"3\"); send it back as If-Match."));
        headers.put("Location", new Header().schema(string()).description(
                "The created card (/api/cards/{id}), or where a pending decision will be (/api/commands/{id})."));
        headers.put("Idempotent-Replayed", new Header().schema(new Schema<>().types(types("string"))
                ._enum(List.of("true"))).description(
                "Present (true) when this answer is the stored answer to an earlier request with the same"
                        + " Idempotency-Key: nothing was done again."));
        headers.put("Retry-After", new Header().schema(string()).description("Seconds to wait before retrying."));
        return headers;
    }

    // ---- Schemas ----

    private static Map<String, Schema> schemas() {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put("Card", card());
        schemas.put("CardMetadata", object()
                .addProperty("description", nullable(string()))
                .addProperty("image", nullable(string()))
                .addProperty("title", nullable(string()))
                .addProperty("siteName", nullable(string()))
                .addProperty("favicon", nullable(string()))
                .required(List.of("description", "image")));
        schemas.put("MetadataStatus", object()
                .description("Where fetching a url card's page metadata stands.")
                .addProperty("state", string()._enum(Arrays.stream(MetadataStatus.State.values())
                        .map(s -> s.name().toLowerCase(Locale.ROOT)).toList()))
                .addProperty("reason", nullable(string()))
                .addProperty("fetchedAt", nullable(dateTime()))
                .required(List.of("state")));
        schemas.put("CardCreate", object()
                .description("A new card; only type is required. Unknown fields are a 400.")
                .addProperty("id", string().format("uuid").description("Chosen by the client; else the server's."))
                .addProperty("type", cardType())
                .addProperty("url", nullable(string()))
                .addProperty("title", nullable(string()))
                .addProperty("notes", nullable(string()))
                .addProperty("content", nullable(string()))
                .addProperty("tags", strings())
                .addProperty("collections", strings())
                .addProperty("pinned", bool())
                .addProperty("metadata", inputMetadata())
                .required(List.of("type")));
        schemas.put("CardPatch", object()
                .description("The fields to change (absent: kept, null: cleared). Unknown fields are a 400.")
                .addProperty("url", nullable(string()))
                .addProperty("title", nullable(string()))
                .addProperty("notes", nullable(string()))
                .addProperty("content", nullable(string()))
                .addProperty("tags", strings())
                .addProperty("collections", strings())
                .addProperty("pinned", bool())
                .addProperty("metadata", nullable(inputMetadata()))
                .addProperty("version", integer().description("The version this edit is based on (or If-Match).")));
        schemas.put("CardDelete", object()
                .description("Optional: the version the delete is based on (or If-Match, or ?version=).")
                .addProperty("version", integer()));
        schemas.put("DeletedCard", object()
                .addProperty("id", string().format("uuid"))
                .addProperty("version", integer())
                .addProperty("deleted", bool()._enum(List.of(true)))
                .required(List.of("id", "version", "deleted")));
        schemas.put("Pending", object()
                .description("Appended but not decided yet: poll GET /api/commands/{commandId}.")
                .addProperty("commandId", string().format("uuid"))
                .addProperty("status", string()._enum(List.of("pending")))
                .required(List.of("commandId", "status")));
        schemas.put("CardPage", object()
                .addProperty("items", new Schema<>().types(types("array")).items(ref("Card")))
                .addProperty("nextCursor", nullable(string()).description("null on the last page"))
                .required(List.of("items", "nextCursor")));
        schemas.put("ChangesPage", object()
                .addProperty("items", new Schema<>().types(types("array")).items(ref("Card")))
                .addProperty("nextSince", string().description("Send back as since for what changed after this page."))
                .addProperty("hasMore", bool())
                .required(List.of("items", "nextSince", "hasMore")));
        schemas.put("HistoryEntry", object()
                .addProperty("version", integer())
                .addProperty("type", string())
                .addProperty("at", dateTime())
                .addProperty("userId", string())
                .addProperty("actor", nullable(string()))
                .addProperty("commandId", nullable(string()))
                .addProperty("idempotencyKey", nullable(string()))
                .addProperty("clientId", nullable(string()))
                .addProperty("changes", new Schema<>().types(types("array")).items(object()
                        .addProperty("field", string())
                        .addProperty("before", new Schema<>().description("any JSON value"))
                        .addProperty("after", new Schema<>().description("any JSON value"))
                        .required(List.of("field", "before", "after"))))
                .required(List.of("version", "type", "at", "changes")));
        schemas.put("HistoryPage", object()
                .addProperty("items", new Schema<>().types(types("array")).items(ref("HistoryEntry")))
                .addProperty("nextCursor", nullable(string()))
                .required(List.of("items", "nextCursor")));
        schemas.put("BatchRequest", object()
                .addProperty("operations", new Schema<>().types(types("array")).minItems(1).maxItems(100)
                        .items(object()
                                .addProperty("method", string()._enum(List.of("POST", "PATCH", "DELETE")))
                                .addProperty("path", string().description(
                                        "/api/cards or /api/cards/{id}; a DELETE may add ?version=N, as alone"))
                                .addProperty("idempotencyKey", nullable(string()))
                                .addProperty("headers", object().description("If-Match only")
                                        .addProperty("If-Match", string()))
                                .addProperty("body", new Schema<>().description("The body the request alone would have"))
                                .required(List.of("method", "path"))))
                .required(List.of("operations")));
        schemas.put("BatchResult", object()
                .description("One operation's answer, exactly as the same request alone.")
                .addProperty("status", integer())
                .addProperty("headers", object().description("ETag, Location, Retry-After, Idempotent-Replayed,"
                        + " Content-Type, where the answer alone has them").additionalProperties(string()))
                .addProperty("body", new Schema<>().anyOf(List.of(ref("Card"), ref("DeletedCard"), ref("Pending"),
                        ref("Problem"))))
                .required(List.of("status", "headers", "body")));
        schemas.put("BatchResponse", object()
                .addProperty("results", new Schema<>().types(types("array")).items(ref("BatchResult")))
                .required(List.of("results")));
        schemas.put("Stats", object()
                .description("The caller's own counts: card activity by day, top domains, tags. Empty lists for a"
                        + " user never counted or erased.")
                .addProperty("userId", string())
                .addProperty("since", string().format("date"))
                .addProperty("days", array(dayCount()))
                .addProperty("topDomains", array(ranked("domain")))
                .addProperty("tags", array(ranked("tag")))
                .addProperty("lag", integer())
                .required(List.of("userId", "since", "days", "topDomains", "tags", "lag")));
        schemas.put("GlobalStats", object()
                .description("Everyone's counts: card activity by day and top domains. No tags: they are a user's"
                        + " own words, counted for their owner only.")
                .addProperty("since", string().format("date"))
                .addProperty("days", array(dayCount()))
                .addProperty("topDomains", array(ranked("domain")))
                .addProperty("lag", integer())
                .required(List.of("since", "days", "topDomains", "lag")));
        schemas.put("DevToken", object()
                .addProperty("user", string())
                .addProperty("token", string())
                .addProperty("expiresAt", dateTime())
                .required(List.of("user", "token", "expiresAt")));
        schemas.put("Problem", new Schema<>().oneOf(PROBLEM_TYPES.stream()
                .<Schema>map(t -> ref(problemSchemaName(t))).toList())
                .description("Any problem this API answers with (RFC 9457)."));
        for (ProblemType type : PROBLEM_TYPES) {
            schemas.put(problemSchemaName(type), problem(type));
        }
        return schemas;
    }

    private static Schema<?> card() {
        return object()
                .description("A card as the API shows it. Clients ignore fields they do not know.")
                .addProperty("id", string().format("uuid"))
                .addProperty("type", cardType())
                .addProperty("url", nullable(string()))
                .addProperty("title", nullable(string()))
                .addProperty("notes", nullable(string()))
                .addProperty("content", nullable(string()))
                .addProperty("tags", strings())
                .addProperty("collections", strings())
                .addProperty("pinned", bool())
                .addProperty("metadata", ref("CardMetadata"))
                .addProperty("metadataStatus", nullable(ref("MetadataStatus")))
                .addProperty("version", integer().minimum(java.math.BigDecimal.ONE)
                        .description("Starts at 1, one more per change; the ETag is this in quotes."))
                .addProperty("createdAt", dateTime())
                .addProperty("updatedAt", dateTime())
                .addProperty("deleted", bool())
                .required(List.of("id", "type", "url", "title", "notes", "content", "tags", "collections", "pinned",
                        "metadata", "version", "createdAt", "updatedAt", "deleted"));
    }

    /**
     * One problem type: the RFC 9457 members, its type URI and status fixed; a conflict adds the
     * card as it is now (and the older clients' error/message/currentVersion).
     */
    private static Schema<?> problem(ProblemType type) {
        Schema<?> schema = object()
                .description(type.title() + ": " + type.meaning() + ".")
                .addProperty("type", string().format("uri")._enum(List.of(Problems.BASE + type.name())))
                .addProperty("title", string())
                .addProperty("status", integer()._enum(List.of(type.status())))
                .addProperty("detail", string())
                .addProperty("instance", string().description("The request's path"));
        List<String> required = new ArrayList<>(List.of("type", "title", "status", "detail"));
        if (type.conflict()) {
            schema.addProperty("error", string())
                    .addProperty("message", string())
                    .addProperty("currentVersion", integer())
                    .addProperty("currentCard", ref("Card"));
            required.addAll(List.of("error", "message", "currentVersion", "currentCard"));
        }
        return schema.required(required);
    }

    /** "version-conflict" is VersionConflictProblem. */
    static String problemSchemaName(ProblemType type) {
        StringBuilder name = new StringBuilder();
        for (String word : type.name().split("-")) {
            name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return name.append("Problem").toString();
    }

    private static Schema<?> inputMetadata() {
        return object()
                .addProperty("description", nullable(string()))
                .addProperty("image", nullable(string()));
    }

    private static Schema<?> cardType() {
        return string()._enum(Arrays.stream(CardType.values()).map(CardType::wireName).toList());
    }

    // The document is OpenAPI 3.1, whose schemas are JSON Schema: a type is a set, null one of them.

    private static LinkedHashSet<String> types(String... names) {
        return new LinkedHashSet<>(List.of(names));
    }

    private static Schema<Object> object() {
        return new Schema<>().types(types("object"));
    }

    private static Schema string() {
        return new Schema<>().types(types("string"));
    }

    private static Schema<?> dateTime() {
        return string().format("date-time");
    }

    private static Schema integer() {
        return new Schema<>().types(types("integer")).format("int64");
    }

    private static Schema bool() {
        return new Schema<>().types(types("boolean"));
    }

    private static Schema<?> array(Schema<?> items) {
        return new Schema<>().types(types("array")).items(items);
    }

    private static Schema<?> dayCount() {
        return object().addProperty("day", string().format("date")).addProperty("created", integer())
                .addProperty("updated", integer()).addProperty("deleted", integer())
                .required(List.of("day", "created", "updated", "deleted"));
    }

    /** A domain or tag ({@code name}) and the live cards it counts. */
    private static Schema<?> ranked(String name) {
        return object().addProperty(name, string()).addProperty("cards", integer()).required(List.of(name, "cards"));
    }

    private static Schema<?> strings() {
        return new Schema<>().types(types("array")).items(string());
    }

    /** The schema, or null: a $ref cannot take a type beside it, so a referenced schema goes in an anyOf. */
    private static Schema nullable(Schema<?> schema) {
        if (schema.get$ref() != null) {
            return new Schema<>().anyOf(List.of(schema, new Schema<>().types(types("null"))));
        }
        schema.getTypes().add("null");
        return schema;
    }

    private static Schema<?> ref(String name) {
        return new Schema<>().$ref(SCHEMAS + name);
    }

    private static Schema<?> anyOf(String... names) {
        return new Schema<>().anyOf(Arrays.stream(names).<Schema>map(ApiDocumentation::ref).toList());
    }
}
