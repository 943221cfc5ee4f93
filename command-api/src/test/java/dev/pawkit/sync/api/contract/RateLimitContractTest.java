package dev.pawkit.sync.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.PawkitApplication;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.testsupport.CommittedLog;
import dev.pawkit.sync.testsupport.EmbeddedApplication;
import dev.pawkit.sync.testsupport.EmbeddedBroker;
import dev.pawkit.sync.testsupport.Tokens;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The per-user write rate limit: past the burst a user's writes are 429 problems with
 * {@code Retry-After}, nothing of them is appended, a retry with the same key after the wait is a
 * first attempt that applies once, batch members are limited one by one, and other users write on.
 * Its own broker and application, with a burst of 5 and 1 write a second.
 */
class RateLimitContractTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PROBLEM_JSON = "application/problem+json";

    private static EmbeddedBroker broker;
    private static EmbeddedApplication app;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        broker = EmbeddedBroker.start();
        app = EmbeddedApplication.start(PawkitApplication.class, broker.bootstrapServers(), Map.of(
                "pawkit.enricher.enabled", "false", "pawkit.analytics.enabled", "false",
                "pawkit.rate-limit.burst", "5", "pawkit.rate-limit.per-second", "1"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void pastTheBurstWritesAre429WithRetryAfterAndNothingIsWritten() throws Exception {
        String user = "limited-" + UUID.randomUUID();
        List<String> applied = new ArrayList<>();
        HttpResponse<String> refused = null;
        String refusedKey = null;
        // Fast creates until one is refused: the burst is 5, so within a few unless each took over a second.
        for (int i = 0; i < 40 && refused == null; i++) {
            String key = UUID.randomUUID().toString();
            HttpResponse<String> answer = create(user, key);
            if (answer.statusCode() == 201) {
                applied.add(key);
            } else {
                refused = answer;
                refusedKey = key;
            }
        }
        assertThat(refused).as("a write past the burst").isNotNull();
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith(PROBLEM_JSON));
        assertThat(JSON.readTree(refused.body()).get("type").stringValue()).endsWith("/rate-limited");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 5L);
        assertThat(applied).hasSizeGreaterThanOrEqualTo(5);
        // The refusal is the one the served API document describes (status, problem type, Retry-After).
        assertDocumented(new OpenApiCheck.Exchange("POST", "/api/cards", Map.of("Idempotency-Key", refusedKey),
                refused.statusCode(), firstValues(refused), refused.body()));

        // Another user is not held back by this one.
        assertThat(create("other-" + UUID.randomUUID(), UUID.randomUUID().toString()).statusCode()).isEqualTo(201);

        // The refused write never reached the log; after the wait, its retry (same key) applies once.
        CommittedLog log = new CommittedLog(broker.bootstrapServers());
        assertThat(log.commandsOf(user)).extracting(CommandEnvelope::idempotencyKey).containsExactlyInAnyOrderElementsOf(applied);
        Thread.sleep(retryAfter * 1000);
        HttpResponse<String> retried = create(user, refusedKey);
        assertThat(retried.statusCode()).isEqualTo(201);
        assertThat(retried.headers().firstValue("Idempotent-Replayed")).isEmpty();
        applied.add(refusedKey);
        assertThat(log.eventsOf(user)).extracting(EventEnvelope::idempotencyKey)
                .containsExactlyInAnyOrderElementsOf(applied);
    }

    @Test
    void batchMembersAreLimitedOneByOneWithTheirOwn429() throws Exception {
        String user = "batch-" + UUID.randomUUID();
        List<String> keys = new ArrayList<>();
        StringBuilder operations = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            String key = UUID.randomUUID().toString();
            keys.add(key);
            operations.append(i == 0 ? "" : ",").append("{\"method\":\"POST\",\"path\":\"/api/cards\",\"idempotencyKey\":\"")
                    .append(key).append("\",\"body\":{\"type\":\"md-note\",\"title\":\"m").append(i).append("\"}}");
        }
        HttpResponse<String> answer = send(user, "/api/batch", null, "{\"operations\":[" + operations + "]}");
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode results = JSON.readTree(answer.body()).get("results");
        assertThat(results).hasSize(12);
        List<String> applied = new ArrayList<>();
        int limited = 0;
        for (int i = 0; i < 12; i++) {
            JsonNode result = results.get(i);
            int status = result.get("status").intValue();
            assertThat(status).isIn(201, 429);
            if (status == 201) {
                applied.add(keys.get(i));
            } else {
                limited++;
                assertThat(result.get("headers").get("Retry-After").stringValue()).matches("[1-9][0-9]*");
                assertThat(result.get("body").get("type").stringValue()).endsWith("/rate-limited");
            }
        }
        // 12 members at once against a burst of 5 (plus at most a few refilled while the batch ran).
        assertThat(applied).hasSizeBetween(5, 8);
        assertThat(limited).isEqualTo(12 - applied.size());
        assertThat(new CommittedLog(broker.bootstrapServers()).eventsOf(user)).extracting(EventEnvelope::idempotencyKey)
                .containsExactlyInAnyOrderElementsOf(applied);
    }

    /** This application's own /v3/api-docs describes the exchange (ContractTest's recording covers the shared one). */
    private void assertDocumented(OpenApiCheck.Exchange exchange) throws Exception {
        HttpResponse<String> docs = http.send(HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + app.port() + "/v3/api-docs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(new OpenApiCheck(JSON.readTree(docs.body())).discrepancies(exchange)).isEmpty();
    }

    private static Map<String, String> firstValues(HttpResponse<String> response) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> headers.put(name, values.get(0)));
        return headers;
    }

    private HttpResponse<String> create(String user, String key) throws Exception {
        return send(user, "/api/cards", key, "{\"type\":\"md-note\",\"title\":\"" + key + "\"}");
    }

    private HttpResponse<String> send(String user, String path, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + Tokens.forUser(user))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
