package dev.pawkit.sync.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.testsupport.CommittedLog;
import dev.pawkit.sync.testsupport.EmbeddedApplication;
import dev.pawkit.sync.testsupport.ScramBroker;
import dev.pawkit.sync.testsupport.Tokens;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole application (API, projector, analytics, enricher) against a broker that only speaks
 * SASL SCRAM-SHA-256 to clients, configured with Spring Boot's spring.kafka.* settings alone: every
 * client it creates must carry them, or it never gets past the listener. A wrong password stops the
 * start with a message that says so.
 */
class ScramClusterTest {

    private static final String USER = "pawkit-app";
    private static final String PASSWORD = "scram-secret-" + UUID.randomUUID();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ScramBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = ScramBroker.start(USER, PASSWORD);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Map<String, String> saslSettings(String password) {
        return Map.of(
                "spring.kafka.security.protocol", "SASL_PLAINTEXT",
                "spring.kafka.properties.sasl.mechanism", ScramBroker.MECHANISM,
                "spring.kafka.properties.sasl.jaas.config", ScramBroker.jaasConfig(USER, password),
                "pawkit.projector.application-id", "scram-projector-" + UUID.randomUUID());
    }

    @Test
    void everyClientConnectsWithTheSpringKafkaSettings() throws Exception {
        try (EmbeddedApplication app = EmbeddedApplication.start(PawkitApplication.class, broker.bootstrapServers(),
                saslSettings(PASSWORD))) {
            String user = "scram-" + UUID.randomUUID();
            String key = UUID.randomUUID().toString();
            String body = "{\"type\":\"md-note\",\"title\":\"over SCRAM\"}";

            HttpResponse<String> created = send(app, "POST", "/api/cards", user, body, key);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            // The same request again (a client's retry): answered from the first, appended once.
            assertThat(send(app, "POST", "/api/cards", user, body, key).statusCode()).isEqualTo(201);
            String location = created.headers().firstValue("Location").orElseThrow();
            HttpResponse<String> read = send(app, "GET", location, user, null, null);
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).contains("over SCRAM");

            // Read back from the log itself, as the same SCRAM user: exactly one event, nothing twice.
            CommittedLog log = new CommittedLog(broker.clientSettings(USER, PASSWORD));
            List<EventEnvelope> events = log.eventsOf(user);
            assertThat(events).hasSize(1);
            assertThat(events.get(0).idempotencyKey()).isEqualTo(key);

            // The enricher's consumer and analytics' Streams client are members of their groups: they
            // authenticated too (a client without the settings never gets past the SASL listener).
            try (Admin admin = Admin.create(broker.clientSettings(USER, PASSWORD))) {
                awaitMembers(admin, "pawkit-enricher");
                awaitMembers(admin, "pawkit-analytics");
            }
        }
    }

    @Test
    void aWrongPasswordStopsTheStartWithAClearMessage() {
        // Bounded: a start that hangs on retried authentication is the failure this test is about.
        assertTimeoutPreemptively(Duration.ofSeconds(50), () ->
                assertThatThrownBy(() -> EmbeddedApplication.start(PawkitApplication.class, broker.bootstrapServers(),
                        saslSettings("not-the-password")).close())
                        .hasStackTraceContaining("Kafka refused the credentials for " + broker.bootstrapServers())
                        .hasStackTraceContaining("Authentication failed"));
    }

    private static void awaitMembers(Admin admin, String group) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int members = 0;
        while (System.nanoTime() < deadline) {
            try {
                members = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                        .get(10, TimeUnit.SECONDS).members().size();
            } catch (java.util.concurrent.ExecutionException e) {
                members = 0;
            }
            if (members > 0) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(members).as("members of " + group).isPositive();
    }

    private static HttpResponse<String> send(EmbeddedApplication app, String method, String path, String user,
            String body, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + Tokens.forUser(user))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
