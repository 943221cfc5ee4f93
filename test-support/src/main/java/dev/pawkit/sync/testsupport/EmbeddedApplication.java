package dev.pawkit.sync.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole application (API + projector) in this JVM, started by hand against a running broker:
 * for a stack of its own ({@link EmbeddedStack}) or a second instance beside the one of Spring's
 * test context. It listens on a random loopback port (or the {@code server.port} given, so that an
 * instance restarted is found where its clients knew it), checks tokens with the secret {@link Tokens}
 * signs with, keeps its state in a fresh temporary directory, and takes the given properties on
 * top; {@link #start} returns once it is ready.
 *
 * <p>The application class is a parameter, not a dependency: test-support cannot depend on
 * command-api, whose tests depend on test-support.
 */
public final class EmbeddedApplication implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(90);
    private static final HttpClient PROBE = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final ConfigurableApplicationContext context;
    private final int port;
    private final Path dataDir;

    private EmbeddedApplication(ConfigurableApplicationContext context, int port, Path dataDir) {
        this.context = context;
        this.port = port;
        this.dataDir = dataDir;
    }

    /**
     * Starts {@code applicationClass} on the broker at {@code bootstrapServers}, with
     * {@code properties} (such as {@code pawkit.projector.application-id}) besides the port,
     * address, secret and data directory set here, and waits until it is ready.
     */
    public static EmbeddedApplication start(Class<?> applicationClass, String bootstrapServers,
            Map<String, String> properties) {
        String dataDir = newDataDir();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + properties.getOrDefault("server.port", "0"),
                "--server.address=127.0.0.1",
                "--pawkit.kafka.bootstrap-servers=" + bootstrapServers,
                // Both names: spring-kafka-test sets spring.kafka.bootstrap-servers as a system property to
                // the last broker started in this JVM, which would outrank application.yml's mapping.
                "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--pawkit.jwt.secret=" + Tokens.SECRET,
                "--pawkit.encryption.master-key=" + TestKeys.MASTER_KEY,
                "--pawkit.data-dir=" + dataDir));
        properties.forEach((name, value) -> {
            if (!name.equals("server.port")) {
                args.add("--" + name + "=" + value);
            }
        });
        SpringApplication application = new SpringApplication(applicationClass);
        // The test closes it: a JVM shutdown hook could run after the broker's files are deleted.
        application.setRegisterShutdownHook(false);
        ConfigurableApplicationContext context = application.run(args.toArray(String[]::new));
        EmbeddedApplication started = new EmbeddedApplication(context,
                Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port")), Path.of(dataDir));
        try {
            awaitReady(started.uri());
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
        return started;
    }

    /**
     * Waits (bounded) until the server at {@code server} is ready, by the contract's readiness
     * probe: {@code GET /api/cards?limit=1} with a valid token answers 200 (the projector is
     * RUNNING and its stores are queryable; health alone says less).
     */
    public static void awaitReady(URI server) {
        HttpRequest probe = HttpRequest.newBuilder(server.resolve("/api/cards?limit=1"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + Tokens.forUser("readiness-probe")).build();
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (PROBE.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
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
        throw new IllegalStateException("the application at " + server + " never became ready");
    }

    public int port() {
        return port;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Where it keeps its state (the projector's and analytics' stores, under streams/). */
    public Path dataDir() {
        return dataDir;
    }

    /** The running application's context, to reach one of its beans. */
    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }

    private static String newDataDir() {
        try {
            return Files.createTempDirectory("pawkit-embedded").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
