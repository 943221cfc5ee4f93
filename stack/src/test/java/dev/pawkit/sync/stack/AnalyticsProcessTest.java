package dev.pawkit.sync.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.PawkitApplication;
import dev.pawkit.sync.testsupport.EmbeddedApplication;
import dev.pawkit.sync.testsupport.EmbeddedBroker;
import dev.pawkit.sync.testsupport.TestKeys;
import dev.pawkit.sync.testsupport.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Analytics as its own process beside an API process that runs none: the analytics process counts
 * what the API decided and answers {@code /api/stats}; the API answers it 503 and serves cards; the
 * analytics process serves no cards.
 */
class AnalyticsProcessTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String USER = "analytics-process-user";

    private static EmbeddedBroker broker;
    private static EmbeddedApplication api;
    private static ConfigurableApplicationContext analytics;
    private static int apiPort;
    private static int analyticsPort;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.start();
        api = EmbeddedApplication.start(PawkitApplication.class, broker.bootstrapServers(),
                Map.of("pawkit.enricher.enabled", "false", "pawkit.analytics.enabled", "false"));
        apiPort = api.port();
        analytics = AnalyticsProcess.run("--server.port=0", "--server.address=127.0.0.1",
                "--pawkit.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--pawkit.jwt.secret=" + Tokens.SECRET,
                // The application's master key, as every process of a deployment shares it: the users'
                // keys in the key topic are wrapped under it, and analytics opens their events with them.
                "--pawkit.encryption.master-key=" + TestKeys.MASTER_KEY,
                "--pawkit.data-dir=" + Files.createTempDirectory("pawkit-analytics"));
        analyticsPort = port(analytics);
    }

    @AfterAll
    static void stop() {
        if (analytics != null) {
            analytics.close();
        }
        if (api != null) {
            api.close();
        }
        broker.close();
    }

    @Test
    void theAnalyticsProcessCountsWhatTheApiDecidedAndAnswersStatsAlone() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> created = send(apiPort, HttpRequest.newBuilder(uri(apiPort, "/api/cards"))
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"md-note\",\"title\":\"note " + i + "\"}")));
            assertThat(created.statusCode()).isEqualTo(201);
        }

        JsonNode stats = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> read = send(analyticsPort, HttpRequest.newBuilder(uri(analyticsPort, "/api/stats")).GET());
            if (read.statusCode() == 200) {
                stats = JSON.readTree(read.body());
                if (stats.get("lag").asLong() == 0 && created(stats) == 3) {
                    break;
                }
            }
            Thread.sleep(200);
        }
        assertThat(stats).as("stats answered by the analytics process").isNotNull();
        assertThat(created(stats)).isEqualTo(3);
        assertThat(stats.get("lag").asLong()).isZero();

        assertThat(send(apiPort, HttpRequest.newBuilder(uri(apiPort, "/api/stats")).GET()).statusCode())
                .as("the API process runs no analytics").isEqualTo(503);
        assertThat(send(analyticsPort, HttpRequest.newBuilder(uri(analyticsPort, "/api/cards")).GET()).statusCode())
                .as("the analytics process serves no cards").isEqualTo(404);
        assertThat(send(analyticsPort, HttpRequest.newBuilder(uri(analyticsPort, "/api/stats"))
                .header("Authorization", "Bearer not-a-token").GET()).statusCode())
                .as("the same token checks").isEqualTo(401);
    }

    private static long created(JsonNode stats) {
        long created = 0;
        for (JsonNode day : stats.get("days")) {
            created += day.get("created").asLong();
        }
        return created;
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> send(int port, HttpRequest.Builder request) throws Exception {
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        HttpRequest.Builder copy = HttpRequest.newBuilder(built, (name, value) -> true);
        if (built.headers().firstValue("Authorization").isEmpty()) {
            copy.header("Authorization", "Bearer " + Tokens.forUser(USER));
        }
        return http.send(copy.build(), HttpResponse.BodyHandlers.ofString());
    }
}
