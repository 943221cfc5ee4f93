package dev.pawkit.sync.api;

import dev.pawkit.sync.runtime.PawkitProperties;
import dev.pawkit.sync.runtime.ProjectorRunner;
import dev.pawkit.sync.testsupport.CommittedLog;
import dev.pawkit.sync.testsupport.EmbeddedApplication;
import dev.pawkit.sync.testsupport.EmbeddedBroker;
import dev.pawkit.sync.testsupport.TestKeys;
import dev.pawkit.sync.testsupport.Tokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the HTTP integration tests: the whole application (API + projector) on a random port
 * against a real KRaft broker in this JVM. Subclasses share one broker and one application
 * context (same configuration), so the suite starts them once. Tests isolate themselves by user.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pawkit.jwt.secret=" + Tokens.SECRET,
        "pawkit.projector.application-id=pawkit-projector-it",
        "pawkit.enricher.enabled=false",
        // Heartbeats (and the check of a stream's end) often enough for a test to see them.
        "pawkit.streams.heartbeat=1s",
        // A slow request body is answered 408 after this (SlowClientsTest waits for it).
        "pawkit.http.body-timeout=20s",
        "server.address=127.0.0.1",
        "spring.kafka.streams.properties.acceptable.recovery.lag=" + ApiIntegrationTest.ANY_RECOVERY_LAG})
public abstract class ApiIntegrationTest {

    /**
     * A second instance takes its share of the partitions at once, however far its stores are
     * behind (it restores them before serving them). With Kafka Streams' default (10,000 records)
     * an instance joining the suite's long-lived context, whose log has grown past that, got only
     * warm-up copies and its first partitions at the probing rebalance, 10 minutes later.
     */
    static final String ANY_RECOVERY_LAG = "9223372036854775807";

    private static final Path DATA_DIR = createDataDir();

    /**
     * The broker of the shared context, started once in this JVM with the first subclass and left
     * to stop with the JVM: the context it serves is cached until then too, and stopping the
     * broker first would only make the application's shutdown wait for it.
     */
    private static final EmbeddedBroker BROKER = EmbeddedBroker.start();

    @LocalServerPort
    protected int port;

    /** The broker of this context, as the application bound it (not a system property read later). */
    protected String bootstrapServers;

    @Autowired
    void bootstrapServers(PawkitProperties properties) {
        this.bootstrapServers = properties.kafka().bootstrapServers();
    }

    protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("pawkit.kafka.bootstrap-servers", BROKER::bootstrapServers);
        registry.add("spring.kafka.bootstrap-servers", BROKER::bootstrapServers);
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("pawkit.data-dir", DATA_DIR::toString);
        // The tests' master key, so that CommittedLog opens what the application sealed.
        registry.add("pawkit.encryption.master-key", () -> TestKeys.MASTER_KEY);
    }

    private static Path createDataDir() {
        try {
            return Files.createTempDirectory("pawkit-it");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The committed log, to check that a write happened exactly once, or not at all. */
    protected CommittedLog committedLog() {
        return new CommittedLog(bootstrapServers);
    }

    /** Every test starts on a ready application, by the contract's probe (as a stack started by hand). */
    @BeforeEach
    void waitUntilReady() {
        EmbeddedApplication.awaitReady(URI.create("http://127.0.0.1:" + port));
    }

    protected HttpResponse<String> send(String method, String path, String user, String body,
            Map<String, String> headers) throws IOException, InterruptedException {
        return sendTo(port, method, path, user, body, headers);
    }

    /** A request to the API instance on {@code targetPort} (this context's, or another started by a test). */
    protected HttpResponse<String> sendTo(int targetPort, String method, String path, String user, String body,
            Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + targetPort + path))
                .timeout(Duration.ofSeconds(30))
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

    /** A second API + projector instance on this broker, configured as this one (enricher off). */
    protected EmbeddedApplication startSecondInstance() {
        return startSecondInstance(0);
    }

    /** The same on {@code port} (0: any), so that it can be started again where its clients knew it. */
    protected EmbeddedApplication startSecondInstance(int port) {
        return EmbeddedApplication.start(PawkitApplication.class, bootstrapServers, Map.of(
                "server.port", Integer.toString(port),
                "pawkit.projector.application-id", "pawkit-projector-it",
                "pawkit.enricher.enabled", "false",
                "pawkit.streams.heartbeat", "1s",
                "spring.kafka.streams.properties.acceptable.recovery.lag", ANY_RECOVERY_LAG));
    }

    /**
     * The split is settled: both instances' readiness probes answer, every partition is readable
     * through both, and each instance owns some of the partitions.
     */
    protected void awaitBothServeEveryPartition(EmbeddedApplication second) throws Exception {
        ProjectorRunner secondProjector = second.context().getBean(ProjectorRunner.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            boolean firstUp = send("GET", "/actuator/health/readiness", null, null, Map.of()).statusCode() == 200;
            boolean secondUp = sendTo(second.port(), "GET", "/actuator/health/readiness", null, null, Map.of())
                    .statusCode() == 200;
            if (firstUp && secondUp && everyPartitionReadable(port) && everyPartitionReadable(second.port())
                    && ownsSomeNotAll(secondProjector)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the two instances never both became ready, each owning some partitions");
    }

    /** Probe users over every partition: the projector owns some of them and not all. */
    private static boolean ownsSomeNotAll(ProjectorRunner projector) {
        Set<Boolean> owned = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            try {
                owned.add(projector.reads().ownerOf("probe-" + i).local());
            } catch (RuntimeException e) {
                return false; // not queryable during a rebalance: not settled
            }
        }
        return owned.size() == 2;
    }

    /**
     * After a second instance closed: its partitions move back here, which takes a rebalance. Wait
     * until this one serves every partition again, so the next test class (same context) does not
     * meet a projector in the middle of it.
     */
    protected void awaitThisInstanceServesEveryPartition() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (everyPartitionReadable(port)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the first instance never served every partition again");
    }

    /** Twelve users spread over the six partitions, each one's card list answered 200 by the instance. */
    private boolean everyPartitionReadable(int targetPort) throws Exception {
        for (int i = 0; i < 12; i++) {
            if (sendTo(targetPort, "GET", "/api/cards?limit=1", "probe-" + i, null, Map.of()).statusCode() != 200) {
                return false;
            }
        }
        return true;
    }
}
