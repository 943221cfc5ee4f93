package dev.pawkit.sync.client;

import dev.pawkit.sync.api.PawkitApplication;
import dev.pawkit.sync.testsupport.Tokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The real server for the client's tests, started once per test JVM and shared by every test
 * class: a KRaft broker in this JVM (spring-kafka-test) and the whole application (API +
 * projector) on a random loopback port, with the properties command-api's ApiIntegrationTest uses.
 * Tests isolate themselves by user.
 * Test classes get it through {@link Shared}.
 */
final class TestStack implements AutoCloseable {

    /**
     * Starts the stack once for the whole test run and closes it when the run ends (JUnit closes
     * what the root store holds), before the JVM's own shutdown hooks delete the broker's files.
     */
    static final class Shared implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            StackTest.stack = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .computeIfAbsent(TestStack.class, key -> start(), TestStack.class);
        }
    }

    final EmbeddedKafkaKraftBroker broker;
    final ConfigurableApplicationContext application;
    final int port;

    private TestStack(EmbeddedKafkaKraftBroker broker, ConfigurableApplicationContext application, int port) {
        this.broker = broker;
        this.application = application;
        this.port = port;
    }

    /** The application first, then the broker it writes to. */
    @Override
    public void close() {
        application.close();
        broker.destroy();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    private static TestStack start() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 6);
        broker.brokerProperties(Map.of(
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
        try {
            Path dataDir = Files.createTempDirectory("pawkit-client-it");
            SpringApplication app = new SpringApplication(PawkitApplication.class);
            app.setRegisterShutdownHook(false);
            ConfigurableApplicationContext context = app.run(
                    "--server.port=0",
                    "--server.address=127.0.0.1",
                    "--pawkit.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                    "--pawkit.jwt.secret=" + Tokens.SECRET,
                    "--pawkit.projector.application-id=pawkit-projector-client-it",
                    "--pawkit.data-dir=" + dataDir);
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            TestStack stack = new TestStack(broker, context, port);
            stack.awaitReady();
            return stack;
        } catch (IOException e) {
            broker.destroy();
            throw new IllegalStateException("cannot start the test stack", e);
        }
    }

    /** Ready means the contract's probe: {@code GET /api/cards} with a valid token answers 200. */
    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest probe = HttpRequest.newBuilder(uri().resolve("/api/cards?limit=1"))
                .header("Authorization", "Bearer " + Tokens.forUser("readiness-probe")).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
                Thread.sleep(100);
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("the application never became ready");
    }
}
