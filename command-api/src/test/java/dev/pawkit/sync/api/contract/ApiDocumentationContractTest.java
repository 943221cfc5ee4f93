package dev.pawkit.sync.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.contract.OpenApiCheck.Exchange;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API's description ({@code /v3/api-docs}, Swagger UI) against the running application on the
 * in-JVM broker: real requests of the contract (create, replay, conflicts, 404, 400, reads, the
 * change feed, a batch…) and, for each answer, {@link OpenApiCheck}: its status is documented for
 * its operation, its body validates against the documented schema, and the headers that matter are
 * documented where they occur. A second test removes things from the document and shows the same
 * check then fails.
 */
class ApiDocumentationContractTest extends ContractTest {

    private static final String CARD = "{\"type\":\"url\",\"url\":\"https://example.com/a\",\"title\":\"A\","
            + "\"tags\":[\"t\"],\"metadata\":{\"description\":\"d\",\"image\":null}}";

    /** Every exchange of a test, to be checked against the document at the end. */
    private final List<Exchange> exchanges = new ArrayList<>();

    @Test
    void theDocumentAndSwaggerUiAreServedWithoutAToken() throws Exception {
        HttpResponse<String> docs = raw("GET", "/v3/api-docs", null, null, Map.of());
        assertThat(docs.statusCode()).as(docs.body()).isEqualTo(200);
        assertThat(header(docs, "Content-Type")).startsWith("application/json");
        JsonNode document = json(docs);
        assertThat(document.path("openapi").asString("")).startsWith("3.1");
        assertThat(document.path("paths").propertyNames()).contains("/api/cards", "/api/cards/{id}",
                "/api/cards/changes", "/api/batch", "/api/commands/{id}");
        for (String schema : List.of("Card", "Pending", "DeletedCard", "VersionConflictProblem",
                "PreconditionFailedProblem", "InvalidRequestProblem", "NotFoundProblem")) {
            assertThat(document.path("components").path("schemas").has(schema)).as(schema).isTrue();
        }
        for (String header : List.of("ETag", "Location", "Idempotent-Replayed")) {
            assertThat(document.path("components").path("headers").has(header)).as(header).isTrue();
        }
        // Every route is in ApiDocumentation's table: none is left with springdoc's guess (a 200 of */*).
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            JsonNode responses = operation.getValue().path("responses");
            assertThat(responses.propertyNames()).as("%s %s", operation.getKey(), path.getKey()).isNotEmpty();
            responses.properties().forEach(response -> assertThat(response.getValue().path("content").has("*/*"))
                    .as("%s %s %s", operation.getKey(), path.getKey(), response.getKey()).isFalse());
        }));
        // Kept in target/ to read what was served.
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "openapi.json"), docs.body());
        assertThat(document.path("components").path("securitySchemes").path("bearer").path("scheme").asString(""))
                .isEqualTo("bearer");

        HttpResponse<String> yaml = raw("GET", "/v3/api-docs.yaml", null, null, Map.of());
        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.body()).contains("openapi: 3.1");

        HttpResponse<String> ui = raw("GET", "/swagger-ui/index.html", null, null, Map.of());
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(header(ui, "Content-Type")).startsWith("text/html");
        assertThat(ui.body()).containsIgnoringCase("swagger");
        HttpResponse<String> entry = raw("GET", "/swagger-ui.html", null, null, Map.of());
        assertThat(entry.statusCode()).as("the UI's entry redirects to its page").isEqualTo(302);
        assertThat(header(entry, "Location")).contains("/swagger-ui/index.html");
        HttpResponse<String> config = raw("GET", "/v3/api-docs/swagger-config", null, null, Map.of());
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(json(config).path("url").asString("")).isEqualTo("/v3/api-docs");
    }

    @Test
    void badInputToTheDocumentationIsNeverA5xx() throws Exception {
        List<String[]> requests = List.of(
                new String[] {"GET", "/v3/api-docs/no-such-group"},
                new String[] {"GET", "/v3/api-docs?group=%zz"},
                new String[] {"GET", "/v3/api-docs/%2e%2e/%2e%2e/etc/passwd"},
                new String[] {"GET", "/v3/api-docs.yaml/x"},
                new String[] {"GET", "/swagger-ui/no-such-file.js"},
                new String[] {"GET", "/swagger-ui/../../../etc/passwd"},
                new String[] {"GET", "/swagger-ui/index.html?configUrl=%"},
                new String[] {"POST", "/v3/api-docs"},
                new String[] {"PUT", "/swagger-ui/index.html"},
                new String[] {"DELETE", "/v3/api-docs"});
        for (String[] request : requests) {
            RawAnswer answer = exchange((request[0] + " " + request[1] + " HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            assertThat(answer.status()).as("%s %s: %s", request[0], request[1], answer.body()).isBetween(200, 499);
        }
        // Writes stay refused: the documentation is open to GET only.
        assertThat(raw("POST", "/v3/api-docs", null, "{}", Map.of("Content-Type", "application/json"))
                .statusCode()).isEqualTo(401);
    }

    @Test
    void everyAnswerOfTheContractIsDocumented() throws Exception {
        String user = newUser();
        String key = newKey();

        // Create, its replay, the key reused for another request.
        HttpResponse<String> created = call(user, "POST", "/api/cards", CARD, Map.of("Idempotency-Key", key));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = json(created).get("id").stringValue();
        HttpResponse<String> replay = call(user, "POST", "/api/cards", CARD, Map.of("Idempotency-Key", key));
        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(header(replay, "Idempotent-Replayed")).isEqualTo("true");
        assertProblem(call(user, "POST", "/api/cards", "{\"type\":\"md-note\"}", Map.of("Idempotency-Key", key)),
                422, "idempotency-key-reused");

        // Creates refused: a client id the user has, a card breaking a rule, bad JSON, not JSON.
        assertConflictStatus(call(user, "POST", "/api/cards", "{\"id\":\"" + id + "\",\"type\":\"md-note\"}",
                Map.of()), 409, "card-exists");
        assertProblem(call(user, "POST", "/api/cards", "{\"type\":\"url\"}", Map.of()), 400, "invalid-request");
        // Well-formed, but the card it would make breaks a rule: only the decider, with the card, sees it.
        assertProblem(call(user, "PATCH", "/api/cards/" + id, "{\"url\":null}", Map.of()), 422, "invalid-card");
        assertProblem(call(user, "POST", "/api/cards", "{\"type\":", Map.of()), 400, "invalid-request");
        assertProblem(call(user, "POST", "/api/cards", "{\"type\":\"md-note\",\"colour\":1}", Map.of()), 400,
                "invalid-request");
        HttpResponse<String> notJson = call(user, "POST", "/api/cards", null, Map.of("Content-Type", "text/plain"),
                "hello");
        assertProblem(notJson, 415, "unsupported-media-type");

        // Reads: the card, unchanged, not found, a bad id, the list, the feed, the history.
        HttpResponse<String> read = call(user, "GET", "/api/cards/" + id, null, Map.of());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(call(user, "GET", "/api/cards/" + id, null, Map.of("If-None-Match", "\"1\"")).statusCode())
                .isEqualTo(304);
        assertProblem(call(user, "GET", "/api/cards/" + UUID.randomUUID(), null, Map.of()), 404, "not-found");
        assertProblem(call(user, "GET", "/api/cards/not-a-uuid", null, Map.of()), 400, "invalid-request");
        assertProblem(call(user, "GET", "/api/cards?limit=0", null, Map.of()), 400, "invalid-request");

        // Updates: with If-Match, then stale by body version (409) and by If-Match (412).
        HttpResponse<String> updated = call(user, "PATCH", "/api/cards/" + id, "{\"title\":\"B\",\"pinned\":true}",
                Map.of("If-Match", "\"1\"", "Idempotency-Key", newKey(), "X-Client-Id", "docs-test"));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertConflictStatus(call(user, "PATCH", "/api/cards/" + id, "{\"title\":\"C\",\"version\":1}", Map.of()),
                409, "version-conflict");
        assertConflictStatus(call(user, "PATCH", "/api/cards/" + id, "{\"title\":\"C\"}", Map.of("If-Match", "\"1\"")),
                412, "precondition-failed");
        assertProblem(call(user, "PATCH", "/api/cards/" + UUID.randomUUID(), "{\"title\":\"C\"}",
                Map.of("If-Match", "\"1\"")), 404, "not-found");

        // Asynchronous: 202 and where the decision will be, then the decision there.
        HttpResponse<String> async = call(user, "POST", "/api/cards", "{\"type\":\"md-note\",\"content\":\"x\"}",
                Map.of("Prefer", "respond-async", "Idempotency-Key", newKey()));
        assertThat(async.statusCode()).as(async.body()).isEqualTo(202);
        HttpResponse<String> decided = awaitDecision(user, header(async, "Location"));
        record(user, "GET", header(async, "Location"), null, Map.of(), decided);
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(201);
        assertProblem(call(user, "GET", "/api/commands/" + UUID.randomUUID(), null, Map.of()), 404, "not-found");

        // Metadata refresh of a url card: 202 with the card.
        HttpResponse<String> refresh = call(user, "POST", "/api/cards/" + id + "/refresh-metadata", null, Map.of());
        assertThat(refresh.statusCode()).as(refresh.body()).isEqualTo(202);

        // A batch: a create, an update of it, a member that is wrong, a stale update.
        String batchId = UUID.randomUUID().toString();
        String batch = "{\"operations\":["
                + "{\"method\":\"POST\",\"path\":\"/api/cards\",\"idempotencyKey\":\"" + newKey() + "\","
                + "\"body\":{\"id\":\"" + batchId + "\",\"type\":\"text-note\",\"content\":\"b\"}},"
                + "{\"method\":\"PATCH\",\"path\":\"/api/cards/" + batchId + "\",\"headers\":{\"If-Match\":\"\\\"1\\\"\"},"
                + "\"body\":{\"title\":\"t\"}},"
                + "{\"method\":\"PUT\",\"path\":\"/api/cards\"},"
                + "{\"method\":\"PATCH\",\"path\":\"/api/cards/" + batchId + "\",\"body\":{\"title\":\"u\",\"version\":1}}]}";
        HttpResponse<String> batched = call(user, "POST", "/api/batch", batch, Map.of());
        assertThat(batched.statusCode()).as(batched.body()).isEqualTo(200);
        List<Integer> statuses = new ArrayList<>();
        json(batched).get("results").forEach(result -> statuses.add(result.get("status").intValue()));
        assertThat(statuses).containsExactly(201, 200, 400, 409);
        assertProblem(call(user, "POST", "/api/batch", "{\"operations\":[]}", Map.of()), 400, "invalid-request");

        // The list, the change feed and the history, now that there is something in them.
        assertThat(call(user, "GET", "/api/cards?limit=2", null, Map.of()).statusCode()).isEqualTo(200);
        HttpResponse<String> changes = call(user, "GET", "/api/cards/changes", null, Map.of());
        assertThat(changes.statusCode()).isEqualTo(200);
        assertProblem(call(user, "GET", "/api/cards/changes?since=nonsense", null, Map.of()), 400, "invalid-request");
        assertThat(call(user, "GET", "/api/cards/" + id + "/history", null, Map.of()).statusCode()).isEqualTo(200);

        // Delete, then the deleted card is gone for good.
        HttpResponse<String> deleted = call(user, "DELETE", "/api/cards/" + id, null,
                Map.of("If-Match", header(refresh, "ETag"), "Idempotency-Key", newKey()));
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertProblem(call(user, "PATCH", "/api/cards/" + id, "{\"title\":\"D\"}", Map.of()), 410, "card-deleted");

        // No token; an operator route without the scope; the caller's own statistics.
        assertProblem(call(null, "GET", "/api/cards", null, Map.of()), 401, "unauthorized");
        assertProblem(call(user, "GET", "/api/stats/global", null, Map.of()), 403, "forbidden");
        int stats = call(user, "GET", "/api/stats", null, Map.of()).statusCode();
        assertThat(stats).isIn(200, 503);

        // The development sign-in (refused on a server with a real secret) and an operator route's refusal.
        assertProblem(call(null, "POST", "/dev/sign-in", "{\"user\":\"alice\"}", Map.of()), 403,
                "dev-sign-in-disabled");
        assertProblem(call(user, "POST", "/api/stats/reset", null, Map.of()), 403, "forbidden");

        // Refusals with a type named for their status: a method the route does not take, an Accept
        // without JSON, an unknown route.
        assertProblem(call(user, "PUT", "/api/cards/" + UUID.randomUUID(), "{\"type\":\"md-note\"}", Map.of()),
                405, "method-not-allowed");
        assertProblem(call(user, "GET", "/api/cards", null, Map.of("Accept", "text/html")), 406, "not-acceptable");
        assertProblem(call(user, "GET", "/api/no-such-route", null, Map.of()), 404, "not-found");

        // A body over 1 MiB.
        assertProblem(call(user, "POST", "/api/cards", "{\"type\":\"md-note\",\"content\":\""
                + "x".repeat(1024 * 1024) + "\"}", Map.of("Idempotency-Key", newKey())), 413, "payload-too-large");

        // The change stream: open, and the eleventh of one user refused (429 too-many-streams).
        recordStreams(user);

        // A body that never ends: 408 once pawkit.http.body-timeout (20 s in this suite) has passed.
        RawAnswer slow = slowBody(user, "/api/cards/" + id);
        assertProblem(slow.status(), slow.contentType(), slow.body(), 408);
        exchanges.add(new Exchange("PATCH", "/api/cards/" + id, Map.of(), slow.status(),
                Map.of("Content-Type", slow.contentType()), slow.body()));

        OpenApiCheck check = new OpenApiCheck(document());
        List<String> discrepancies = new ArrayList<>();
        exchanges.forEach(exchange -> discrepancies.addAll(check.discrepancies(exchange)));
        assertThat(discrepancies).as("answers the document does not describe").isEmpty();
        assertThat(exchanges).hasSizeGreaterThanOrEqualTo(40);
        assertThat(exchanges).extracting(Exchange::status).contains(201, 200, 202, 304, 400, 401, 403, 404, 405, 406,
                408, 409, 410, 412, 413, 415, 422, 429);
    }

    /**
     * A PATCH whose body comes a byte every 2 s (so no socket read times out: only the body's own
     * deadline can end it), sent until the server answers; the answer.
     */
    private RawAnswer slowBody(String user, String path) throws IOException {
        String head = "PATCH " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + dev.pawkit.sync.testsupport.Tokens.forUser(user) + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n{";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            java.io.InputStream in = socket.getInputStream();
            for (int sent = 0; sent < 60; sent++) {
                try {
                    int first = in.read();
                    assertThat(first).as("an answer before the connection closed").isNotNegative();
                    socket.setSoTimeout(30_000);
                    return answer((char) first + new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                } catch (java.net.SocketTimeoutException stillWaiting) {
                    out.write(' ');
                    out.flush();
                }
            }
            throw new AssertionError("no answer to a body 60 bytes into 2 minutes");
        }
    }

    /**
     * Opens a change stream (200, text/event-stream) and then as many as one user may hold, so the
     * next is refused (429 too-many-streams); both answers recorded for the check.
     */
    private void recordStreams(String user) {
        List<dev.pawkit.sync.api.EventStreamConnection> open = new ArrayList<>();
        try {
            while (open.size() <= 10) {
                dev.pawkit.sync.api.EventStreamConnection stream = dev.pawkit.sync.api.EventStreamConnection.open(
                        http, port, dev.pawkit.sync.testsupport.Tokens.forUser(user), "", Map.of());
                open.add(stream);
                if (stream.status() != 200) {
                    assertProblem(stream.status(), stream.contentType(), stream.errorBody(), 429);
                    exchanges.add(new Exchange("GET", "/api/cards/changes/stream", Map.of(), stream.status(),
                            Map.of("Content-Type", stream.contentType()), stream.errorBody()));
                    return;
                }
                if (open.size() == 1) {
                    // The events themselves are text/event-stream; the answer's status and type are checked.
                    exchanges.add(new Exchange("GET", "/api/cards/changes/stream", Map.of(), 200,
                            Map.of("Content-Type", stream.contentType()), ""));
                }
            }
            throw new AssertionError("eleven streams of one user were all accepted");
        } finally {
            open.forEach(dev.pawkit.sync.api.EventStreamConnection::close);
        }
    }

    /** A check that cannot fail proves nothing: the same check fails once the document leaves something out. */
    @Test
    void theCheckFailsWhenTheDocumentLeavesSomethingOut() throws Exception {
        String user = newUser();
        HttpResponse<String> created = call(user, "POST", "/api/cards", CARD, Map.of("Idempotency-Key", newKey()));
        String id = json(created).get("id").stringValue();
        call(user, "PATCH", "/api/cards/" + id, "{\"title\":\"C\",\"version\":7}", Map.of());
        Exchange create = exchanges.get(0);
        Exchange conflict = exchanges.get(1);
        assertThat(conflict.status()).isEqualTo(409);
        JsonNode document = document();
        assertThat(new OpenApiCheck(document).discrepancies(create)).isEmpty();
        assertThat(new OpenApiCheck(document).discrepancies(conflict)).isEmpty();

        // A card field no longer documented.
        ObjectNode noVersion = (ObjectNode) document.deepCopy();
        ObjectNode card = (ObjectNode) noVersion.path("components").path("schemas").path("Card");
        ((ObjectNode) card.get("properties")).remove("version");
        assertThat(new OpenApiCheck(noVersion).discrepancies(create)).anyMatch(d -> d.contains("version"));
        // Nor one of the conflict's: currentCard is a card too.
        assertThat(new OpenApiCheck(noVersion).discrepancies(conflict)).anyMatch(d -> d.contains("version"));

        // A field documented as required that the server does not send.
        ObjectNode extraRequired = (ObjectNode) document.deepCopy();
        ((tools.jackson.databind.node.ArrayNode) extraRequired.path("components").path("schemas").path("Card")
                .path("required")).add("colour");
        assertThat(new OpenApiCheck(extraRequired).discrepancies(create)).anyMatch(d -> d.contains("colour"));

        // A status no longer documented for the operation.
        ObjectNode no409 = (ObjectNode) document.deepCopy();
        ((ObjectNode) no409.path("paths").path("/api/cards/{id}").path("patch").path("responses")).remove("409");
        assertThat(new OpenApiCheck(no409).discrepancies(conflict)).anyMatch(d -> d.contains("409 is not documented"));

        // A problem type not among the documented ones of that status.
        ObjectNode wrongType = (ObjectNode) document.deepCopy();
        ObjectNode patch409 = (ObjectNode) wrongType.path("paths").path("/api/cards/{id}").path("patch")
                .path("responses").path("409").path("content").path(PROBLEM_JSON);
        patch409.putObject("schema").put("$ref", "#/components/schemas/CardExistsProblem");
        assertThat(new OpenApiCheck(wrongType).discrepancies(conflict)).isNotEmpty();

        // The answer headers and the request header no longer documented.
        ObjectNode noHeaders = (ObjectNode) document.deepCopy();
        ObjectNode post = (ObjectNode) noHeaders.path("paths").path("/api/cards").path("post");
        ((ObjectNode) post.path("responses").path("201").path("headers")).remove("ETag");
        tools.jackson.databind.node.ArrayNode parameters = (tools.jackson.databind.node.ArrayNode) post.get("parameters");
        for (int i = parameters.size() - 1; i >= 0; i--) {
            if ("Idempotency-Key".equals(parameters.get(i).path("name").asString(""))) {
                parameters.remove(i);
            }
        }
        List<String> missing = new OpenApiCheck(noHeaders).discrepancies(create);
        assertThat(missing).anyMatch(d -> d.contains("answer header ETag"));
        assertThat(missing).anyMatch(d -> d.contains("request header Idempotency-Key"));

        // A refusal named for its status (405) on a method the route does not take: documented only
        // as one of the document's problems, so the check fails once that problem type is gone.
        call(user, "PUT", "/api/cards/" + id, "{\"type\":\"md-note\"}", Map.of());
        Exchange notAllowed = exchanges.get(2);
        assertThat(notAllowed.status()).isEqualTo(405);
        assertThat(new OpenApiCheck(document).discrepancies(notAllowed)).isEmpty();
        ObjectNode no405 = (ObjectNode) document.deepCopy();
        tools.jackson.databind.node.ArrayNode problems = (tools.jackson.databind.node.ArrayNode) no405
                .path("components").path("schemas").path("Problem").path("oneOf");
        for (int i = problems.size() - 1; i >= 0; i--) {
            if (problems.get(i).path("$ref").asString("").endsWith("/MethodNotAllowedProblem")) {
                problems.remove(i);
            }
        }
        assertThat(new OpenApiCheck(no405).discrepancies(notAllowed)).anyMatch(d -> d.contains("none the document lists"));

        // A write route that no longer documents its 408 (a body that stopped arriving).
        Exchange timedOut = new Exchange("PATCH", "/api/cards/" + id, Map.of(), 408,
                Map.of("Content-Type", PROBLEM_JSON), "{\"type\":\"https://pawkit.dev/problems/request-timeout\","
                        + "\"title\":\"Request timeout\",\"status\":408,\"detail\":\"late\",\"instance\":\"/x\"}");
        assertThat(new OpenApiCheck(document).discrepancies(timedOut)).isEmpty();
        ObjectNode no408 = (ObjectNode) document.deepCopy();
        ((ObjectNode) no408.path("paths").path("/api/cards/{id}").path("patch").path("responses")).remove("408");
        assertThat(new OpenApiCheck(no408).discrepancies(timedOut)).anyMatch(d -> d.contains("408 is not documented"));
    }

    private JsonNode document() throws IOException, InterruptedException {
        HttpResponse<String> docs = raw("GET", "/v3/api-docs", null, null, Map.of());
        assertThat(docs.statusCode()).as(docs.body()).isEqualTo(200);
        return json(docs);
    }

    private static void assertConflictStatus(HttpResponse<String> response, int status, String type) {
        JsonNode problem = assertProblem(response, status, type);
        assertCardShape(problem.get("currentCard"));
    }

    /** A JSON request (Content-Type application/json when there is a body), recorded for the check. */
    private HttpResponse<String> call(String user, String method, String path, String body,
            Map<String, String> headers) throws IOException, InterruptedException {
        HttpResponse<String> response = send(method, path, user, body, headers);
        record(user, method, path, body, headers, response);
        return response;
    }

    /** A request with a body of another type, recorded for the check. */
    private HttpResponse<String> call(String user, String method, String path, String ignored,
            Map<String, String> headers, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = raw(method, path, user, body, headers);
        record(user, method, path, body, headers, response);
        return response;
    }

    private void record(String user, String method, String path, String body, Map<String, String> headers,
            HttpResponse<String> response) {
        Map<String, String> answerHeaders = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> answerHeaders.put(name, values.get(0)));
        exchanges.add(new Exchange(method, path, headers, response.statusCode(), answerHeaders, response.body()));
    }
}
