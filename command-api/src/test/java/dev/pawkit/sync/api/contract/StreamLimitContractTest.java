package dev.pawkit.sync.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.EventStreamConnection;
import dev.pawkit.sync.api.PawkitApplication;
import dev.pawkit.sync.testsupport.EmbeddedApplication;
import dev.pawkit.sync.testsupport.EmbeddedBroker;
import dev.pawkit.sync.testsupport.Tokens;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The instance-wide bound on change streams ({@code pawkit.streams.per-instance}, here 2): past
 * it a stream is a 503 {@code streams-unavailable} problem with {@code Retry-After}, whoever asks,
 * and a closed stream frees its place. Its own broker and application, the limit being a startup
 * setting.
 */
class StreamLimitContractTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static EmbeddedBroker broker;
    private static EmbeddedApplication app;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        broker = EmbeddedBroker.start();
        app = EmbeddedApplication.start(PawkitApplication.class, broker.bootstrapServers(), Map.of(
                "pawkit.enricher.enabled", "false", "pawkit.analytics.enabled", "false",
                "pawkit.streams.per-instance", "2", "pawkit.streams.heartbeat", "200ms"));
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
    void pastTheInstancesLimitAStreamIs503WithRetryAfterUntilOneCloses() throws Exception {
        try (EventStreamConnection first = open("first-" + UUID.randomUUID());
                EventStreamConnection second = open("second-" + UUID.randomUUID())) {
            assertThat(first.status()).isEqualTo(200);
            assertThat(second.status()).isEqualTo(200);

            try (EventStreamConnection refused = open("third-" + UUID.randomUUID())) {
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.contentType()).startsWith("application/problem+json");
                JsonNode problem = JSON.readTree(refused.errorBody());
                assertThat(problem.get("type").stringValue()).endsWith("/streams-unavailable");
                assertThat(problem.get("status").intValue()).isEqualTo(503);
                assertThat(refused.retryAfter()).isEqualTo("1");
            }
        }
        // Both closed: their places are free again (the server notices at the next heartbeat's write).
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int status;
        do {
            Thread.sleep(200);
            try (EventStreamConnection again = open("again-" + UUID.randomUUID())) {
                status = again.status();
            }
        } while (status != 200 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(200);
    }

    private EventStreamConnection open(String user) {
        return EventStreamConnection.open(http, app.port(), Tokens.forUser(user), "", Map.of());
    }
}
