package dev.pawkit.sync.api.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.pawkit.sync.api.ApiIntegrationTest;
import dev.pawkit.sync.api.contract.OpenApiCheck.Exchange;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.testsupport.CommittedLog;
import dev.pawkit.sync.testsupport.Tokens;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the black-box contract tests share: the same application context and broker as every
 * {@link ApiIntegrationTest} (no configuration of its own), plus small requests and checks named
 * after the contract's words ({@code ../shared/spec/http-api.md}). Each test makes its own user.
 *
 * <p>Every answer a contract test gets through {@link #send} or {@link #raw} is recorded, and after
 * the class each one is checked against the served OpenAPI document ({@link OpenApiCheck}): the
 * document describes what the server really answers, hostile requests included, not a sample.
 */
abstract class ContractTest extends ApiIntegrationTest {

    /** The exchanges of the running class; the classes of one JVM run one after the other. */
    private static final List<Exchange> EXCHANGES = Collections.synchronizedList(new ArrayList<>());
    private static volatile int recordedPort;

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** The fields of the card JSON in the contract, in its order. */
    static final List<String> CARD_FIELDS = List.of("id", "type", "url", "title", "notes", "content", "tags",
            "collections", "pinned", "metadata", "version", "createdAt", "updatedAt", "deleted");

    static final String PROBLEM_JSON = "application/problem+json";

    static final Duration DECISION_WAIT = Duration.ofSeconds(30);

    /** A user nobody else uses, so each test sees only its own cards, keys and events. */
    static String newUser() {
        return "x-" + UUID.randomUUID();
    }

    static String newKey() {
        return UUID.randomUUID().toString();
    }

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        assertThat(value).as("field %s of %s", field, node).isNotNull();
        return value.isNull() ? null : value.stringValue();
    }

    static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @BeforeAll
    static void startRecording() {
        EXCHANGES.clear();
    }

    /** Every recorded answer of the class is one the served document describes. */
    @AfterAll
    static void everyAnswerOfTheClassIsDocumented() throws IOException, InterruptedException {
        List<Exchange> exchanges = List.copyOf(EXCHANGES);
        EXCHANGES.clear();
        if (exchanges.isEmpty()) {
            return;
        }
        HttpResponse<String> docs = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + recordedPort + "/v3/api-docs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(docs.statusCode()).as(docs.body()).isEqualTo(200);
        OpenApiCheck check = new OpenApiCheck(JSON.readTree(docs.body()));
        List<String> discrepancies = new ArrayList<>();
        exchanges.forEach(exchange -> discrepancies.addAll(check.discrepancies(exchange)));
        assertThat(discrepancies).as("answers of %d exchanges the document does not describe", exchanges.size())
                .isEmpty();
    }

    @Override
    protected HttpResponse<String> send(String method, String path, String user, String body,
            Map<String, String> headers) throws IOException, InterruptedException {
        return recorded(method, path, headers, super.send(method, path, user, body, headers));
    }

    /**
     * Keeps an exchange with the API for the check after the class; the operator surfaces
     * (actuator, the document and its UI) are not part of the API the document describes.
     */
    private HttpResponse<String> recorded(String method, String path, Map<String, String> headers,
            HttpResponse<String> response) {
        if (!path.startsWith("/actuator") && !path.startsWith("/v3/api-docs") && !path.startsWith("/swagger-ui")) {
            Map<String, String> answerHeaders = new LinkedHashMap<>();
            response.headers().map().forEach((name, values) -> answerHeaders.put(name, values.get(0)));
            recordedPort = port;
            EXCHANGES.add(new Exchange(method, path, headers, response.statusCode(), answerHeaders, response.body()));
        }
        return response;
    }

    /**
     * A request exactly as given: no Content-Type added (unlike {@code send}), the bearer token of
     * {@code user} when not null, any other header as passed.
     */
    HttpResponse<String> raw(String method, String path, String user, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            request.header("Authorization", "Bearer " + Tokens.forUser(user));
        }
        headers.forEach(request::header);
        return recorded(method, path, headers, http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    }

    HttpResponse<String> get(String user, String path) throws IOException, InterruptedException {
        return send("GET", path, user, null, Map.of());
    }

    HttpResponse<String> post(String user, String body) throws IOException, InterruptedException {
        return send("POST", "/api/cards", user, body, Map.of());
    }

    HttpResponse<String> post(String user, String body, String idempotencyKey)
            throws IOException, InterruptedException {
        return send("POST", "/api/cards", user, body, Map.of("Idempotency-Key", idempotencyKey));
    }

    HttpResponse<String> patch(String user, String cardId, String body) throws IOException, InterruptedException {
        return send("PATCH", "/api/cards/" + cardId, user, body, Map.of());
    }

    HttpResponse<String> patch(String user, String cardId, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        return send("PATCH", "/api/cards/" + cardId, user, body, headers);
    }

    /** Creates a card and returns it, failing unless the answer is a 201. */
    JsonNode createCard(String user, String body) throws IOException, InterruptedException {
        HttpResponse<String> created = post(user, body);
        assertThat(created.statusCode()).as("create %s: %s", body, created.body()).isEqualTo(201);
        return json(created);
    }

    /** Updates a card and returns it, failing unless the answer is a 200. */
    JsonNode updateCard(String user, String cardId, String body) throws IOException, InterruptedException {
        HttpResponse<String> updated = patch(user, cardId, body);
        assertThat(updated.statusCode()).as("update %s: %s", body, updated.body()).isEqualTo(200);
        return json(updated);
    }

    /** The card as a GET shows it (200 expected). */
    JsonNode readCard(String user, String cardId) throws IOException, InterruptedException {
        HttpResponse<String> read = get(user, "/api/cards/" + cardId);
        assertThat(read.statusCode()).as("GET card %s: %s", cardId, read.body()).isEqualTo(200);
        return json(read);
    }

    /** Every live card id of the user, following nextCursor to the end. */
    List<String> liveCardIds(String user) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 1000; page++) {
            HttpResponse<String> response = get(user, "/api/cards?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = json(response);
            body.get("items").forEach(item -> ids.add(item.get("id").stringValue()));
            if (body.get("nextCursor").isNull()) {
                return ids;
            }
            cursor = body.get("nextCursor").stringValue();
        }
        return fail("the list never ended");
    }

    /**
     * Every committed event of the user, once the commit markers of transactions that already
     * committed have landed (see {@link CommittedLog#awaitSettled}).
     */
    List<EventEnvelope> eventsOf(String user) throws InterruptedException {
        CommittedLog log = committedLog();
        log.awaitSettled(Duration.ofSeconds(5));
        return log.eventsOf(user);
    }

    static List<Long> versions(List<EventEnvelope> events) {
        return events.stream().map(EventEnvelope::version).toList();
    }

    /**
     * Polls a command's status (a 202's Location) until it is no longer 202, with a short pause
     * between polls and a bounded overall wait.
     */
    HttpResponse<String> awaitDecision(String user, String location) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DECISION_WAIT.toNanos();
        while (true) {
            HttpResponse<String> status = get(user, location);
            if (status.statusCode() != 202) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                return fail("no decision at %s within %s", location, DECISION_WAIT);
            }
            Thread.sleep(20);
        }
    }

    /**
     * Checks an RFC 9457 problem answer: the status, {@code application/problem+json}, and
     * {@code type}, {@code title}, {@code status}, {@code detail} all present. Returns the body.
     */
    static JsonNode assertProblem(HttpResponse<String> response, int status) {
        return assertProblem(response.statusCode(), header(response, "Content-Type"), response.body(), status);
    }

    static JsonNode assertProblem(int actualStatus, String contentType, String body, int status) {
        assertThat(actualStatus).as("status of %s", body).isEqualTo(status);
        assertThat(contentType).as("Content-Type of %s", body).startsWith(PROBLEM_JSON);
        JsonNode problem = JSON.readTree(body);
        assertThat(problem.isObject()).as("problem body %s", body).isTrue();
        for (String member : List.of("type", "title", "detail")) {
            assertThat(problem.get(member)).as("%s in %s", member, body).isNotNull();
            assertThat(problem.get(member).isString()).as("%s in %s is a string", member, body).isTrue();
            assertThat(problem.get(member).stringValue()).as("%s in %s", member, body).isNotBlank();
        }
        assertThat(problem.get("status")).as("status in %s", body).isNotNull();
        assertThat(problem.get("status").isIntegralNumber()).isTrue();
        assertThat(problem.get("status").intValue()).isEqualTo(status);
        return problem;
    }

    /** A problem answer whose type ends with {@code /typeName}. */
    static JsonNode assertProblem(HttpResponse<String> response, int status, String typeName) {
        JsonNode problem = assertProblem(response, status);
        assertThat(problem.get("type").stringValue()).as("problem type").endsWith("/" + typeName);
        return problem;
    }

    /**
     * The conflict body the contract asks for on 409 and 412: the problem fields plus the seed's
     * {@code error}, {@code message}, {@code currentVersion} and {@code currentCard}.
     */
    static JsonNode assertConflict(HttpResponse<String> response, int status, String typeName, String error,
            JsonNode currentCard) {
        JsonNode problem = assertProblem(response, status, typeName);
        assertThat(text(problem, "error")).isEqualTo(error);
        assertThat(text(problem, "message")).isNotBlank();
        assertThat(problem.get("currentVersion").isIntegralNumber()).isTrue();
        assertThat(problem.get("currentVersion").longValue()).isEqualTo(currentCard.get("version").longValue());
        assertThat(problem.get("currentCard")).isEqualTo(currentCard);
        return problem;
    }

    /**
     * The card JSON of the contract: every field it shows is there (more may follow: clients
     * ignore what they do not know).
     */
    static void assertCardShape(JsonNode card) {
        assertThat(card.isObject()).as("card %s", card).isTrue();
        assertThat(card.propertyNames()).as("fields of %s", card).containsAll(CARD_FIELDS);
        assertThat(card.get("id").isString()).isTrue();
        assertThat(card.get("type").isString()).isTrue();
        assertThat(card.get("tags").isArray()).isTrue();
        assertThat(card.get("collections").isArray()).isTrue();
        assertThat(card.get("pinned").isBoolean()).isTrue();
        assertThat(card.get("metadata").isObject()).isTrue();
        assertThat(card.get("metadata").propertyNames()).contains("description", "image");
        assertThat(card.get("version").isIntegralNumber()).isTrue();
        assertThat(card.get("deleted").isBoolean()).isTrue();
        assertRfc3339(card.get("createdAt").stringValue());
        assertRfc3339(card.get("updatedAt").stringValue());
    }

    /** What a raw HTTP/1.0 exchange answered. */
    record RawAnswer(int status, String contentType, String body) {
    }

    /**
     * Sends one request over a plain socket, header bytes exactly as given (UTF-8). The JDK client
     * cannot do this: it writes header values as US-ASCII, turning any other character into '?'.
     * HTTP/1.0, so the answer is neither chunked nor kept alive.
     */
    RawAnswer rawBytes(String method, String path, String user, Map<String, String> headers, String body)
            throws IOException {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.0\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Authorization: Bearer ").append(Tokens.forUser(user)).append("\r\n");
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            head.append("Content-Type: application/json\r\n");
        }
        head.append("Content-Length: ").append(content.length).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] request = new byte[headBytes.length + content.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(content, 0, request, headBytes.length, content.length);
        return exchange(request);
    }

    /** Sends exactly these bytes as one request over a plain socket and reads the answer to the end. */
    RawAnswer exchange(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            return answer(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** An HTTP/1.x answer as read from a socket: its status, Content-Type and body. */
    static RawAnswer answer(String answer) {
        int split = answer.indexOf("\r\n\r\n");
        assertThat(split).as("an HTTP answer: %s", answer).isPositive();
        String[] lines = answer.substring(0, split).split("\r\n");
        String contentType = null;
        for (String line : lines) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:")) {
                contentType = line.substring("content-type:".length()).trim();
            }
        }
        return new RawAnswer(Integer.parseInt(lines[0].split(" ")[1]), contentType, answer.substring(split + 4));
    }

    /** Whether an RFC 3339 date-time (with a zone offset or Z) is what the text says. */
    static void assertRfc3339(String value) {
        assertThat(value).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");
        assertThat(OffsetDateTime.parse(value)).isNotNull();
    }

    static OffsetDateTime time(JsonNode card, String field) {
        return OffsetDateTime.parse(text(card, field));
    }
}
