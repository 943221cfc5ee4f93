package dev.pawkit.sync.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.testsupport.EmbeddedBroker;
import dev.pawkit.sync.testsupport.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two ways a write is answered without a decision: the decision takes longer than the
 * bounded wait (here 1 ms, so every write outlasts it) → 202 and a status URL that later answers
 * the decision; the broker is gone → 503 with Retry-After, quickly. Its own broker and context,
 * because the last test stops that broker for good.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pawkit.jwt.secret=" + Tokens.SECRET,
        "pawkit.projector.application-id=pawkit-projector-outage-it",
        "pawkit.writes.outcome-wait=1ms",
        "pawkit.writes.send-timeout=2s",
        "pawkit.enricher.enabled=false",
        "server.address=127.0.0.1"})
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlowDecisionAndBrokerOutageTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    /** This class's own broker: its last test stops it for good. */
    private static final EmbeddedBroker BROKER = EmbeddedBroker.start();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @org.springframework.test.context.DynamicPropertySource
    static void brokerAndDataDir(org.springframework.test.context.DynamicPropertyRegistry registry) throws Exception {
        registry.add("pawkit.kafka.bootstrap-servers", BROKER::bootstrapServers);
        registry.add("spring.kafka.bootstrap-servers", BROKER::bootstrapServers);
        String dir = Files.createTempDirectory("pawkit-outage-it").toString();
        registry.add("pawkit.data-dir", () -> dir);
        registry.add("pawkit.encryption.master-key", () -> dev.pawkit.sync.testsupport.TestKeys.MASTER_KEY);
    }

    @Test
    @Order(1)
    void aDecisionSlowerThanTheWaitIsA202WhoseStatusUrlLaterAnswersTheDecision() throws Exception {
        String user = "slow-" + UUID.randomUUID();
        awaitReady(user);
        String key = UUID.randomUUID().toString();
        String body = "{\"type\":\"md-note\",\"title\":\"slow\"}";

        Scrape before = scrape();
        HttpResponse<String> accepted = send("POST", "/api/cards", user, body, Map.of("Idempotency-Key", key));
        assertThat(accepted.statusCode()).isEqualTo(202);
        // Counted as a 202 (outcome pending), its wait as a timeout.
        Scrape after = scrape();
        Map<String, String> pending = Map.of("type", "create", "outcome", "pending");
        assertThat(after.sum("pawkit_commands_total", pending) - before.sum("pawkit_commands_total", pending))
                .isEqualTo(1);
        Map<String, String> timeout = Map.of("result", "timeout");
        assertThat(after.sum("pawkit_commands_reply_wait_seconds_count", timeout)
                - before.sum("pawkit_commands_reply_wait_seconds_count", timeout)).isEqualTo(1);
        String status = accepted.headers().firstValue("Location").orElseThrow();
        assertThat(status).matches("/api/commands/[0-9a-f-]{36}");
        assertThat(JSON.readTree(accepted.body()).get("status").stringValue()).isEqualTo("pending");

        HttpResponse<String> decided = pollUntilDecided(status, user);
        assertThat(decided.statusCode()).isEqualTo(201);
        assertThat(decided.headers().firstValue("ETag")).contains("\"1\"");
        JsonNode card = JSON.readTree(decided.body());
        assertThat(decided.headers().firstValue("Location")).contains("/api/cards/" + card.get("id").stringValue());
        assertThat(card.get("title").stringValue()).isEqualTo("slow");

        // The write is done: a retry with its key is the same request, still one card.
        HttpResponse<String> retried = pollUntilDecided(
                send("POST", "/api/cards", user, body, Map.of("Idempotency-Key", key)), user);
        assertThat(retried.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(retried.body())).isEqualTo(card);
        JsonNode list = JSON.readTree(send("GET", "/api/cards", user, null, Map.of()).body());
        assertThat(list.get("items")).hasSize(1);
    }

    @Test
    @Order(2)
    void anUnknownCommandIdIsNotFound() throws Exception {
        String user = "slow-" + UUID.randomUUID();
        // A random (version 4) UUID was never issued as a command id (they are version 7).
        HttpResponse<String> unknown = send("GET", "/api/commands/" + UUID.randomUUID(), user, null, Map.of());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).contains("application/problem+json");
    }

    @Test
    @Order(3)
    void withTheBrokerGoneAWriteIs503WithRetryAfterAndHealthIsDown() throws Exception {
        String user = "outage-" + UUID.randomUUID();
        awaitReady(user);
        Scrape before = scrape();
        BROKER.close();

        long started = System.nanoTime();
        HttpResponse<String> refused = send("POST", "/api/cards", user, "{\"type\":\"md-note\"}",
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("5");
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(JSON.readTree(refused.body()).get("type").stringValue()).endsWith("/broker-unavailable");
        // Bounded by the send timeout (2 s here), not by a client's patience.
        assertThat(took).isLessThan(Duration.ofSeconds(20));
        // The refusal is the one the served API document describes (status, problem type, Retry-After);
        // the document is served although the broker is gone.
        Map<String, String> answerHeaders = new java.util.LinkedHashMap<>();
        refused.headers().map().forEach((name, values) -> answerHeaders.put(name, values.get(0)));
        HttpResponse<String> docs = send("GET", "/v3/api-docs", null, null, Map.of());
        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(new dev.pawkit.sync.api.contract.OpenApiCheck(JSON.readTree(docs.body())).discrepancies(
                new dev.pawkit.sync.api.contract.OpenApiCheck.Exchange("POST", "/api/cards", Map.of("Idempotency-Key", "k"),
                        refused.statusCode(), answerHeaders, refused.body()))).isEmpty();

        HttpResponse<String> health = send("GET", "/actuator/health", null, null, OPERATOR);
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(health.body()).get("components").get("broker").get("status").stringValue())
                .isEqualTo("DOWN");
        // Kubernetes stops sending it traffic, and does not restart it: the broker's outage is not the pod's fault.
        assertThat(send("GET", "/actuator/health/readiness", null, null, Map.of()).statusCode()).isEqualTo(503);
        assertThat(send("GET", "/actuator/health/liveness", null, null, Map.of()).statusCode()).isEqualTo(200);
        // The 503 is counted, and the scrape answers although the broker does not.
        Scrape after = scrape();
        Map<String, String> refusedCreate = Map.of("type", "create", "outcome", "broker-unavailable");
        assertThat(after.sum("pawkit_commands_total", refusedCreate) - before.sum("pawkit_commands_total", refusedCreate))
                .isEqualTo(1);
    }

    private static final Map<String, String> OPERATOR =
            Map.of("Authorization", "Bearer " + Tokens.forOperator("outage-operator"));

    private Scrape scrape() throws Exception {
        HttpResponse<String> scraped = send("GET", "/actuator/prometheus", null, null, OPERATOR);
        assertThat(scraped.statusCode()).as(scraped.body()).isEqualTo(200);
        return Scrape.of(scraped.body());
    }

    private void awaitReady(String user) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (send("GET", "/api/cards?limit=1", user, null, Map.of()).statusCode() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("never ready");
    }

    private HttpResponse<String> pollUntilDecided(String statusUrl, String user) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> status = send("GET", statusUrl, user, null, Map.of());
            if (status.statusCode() != 202) {
                return status;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no decision for " + statusUrl);
    }

    /** A write answered 202 is polled at its Location; any other answer is the decision itself. */
    private HttpResponse<String> pollUntilDecided(HttpResponse<String> response, String user) throws Exception {
        return response.statusCode() == 202
                ? pollUntilDecided(response.headers().firstValue("Location").orElseThrow(), user)
                : response;
    }

    private HttpResponse<String> send(String method, String path, String user, String body,
            Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            request.header("Authorization", "Bearer " + Tokens.forUser(user));
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
