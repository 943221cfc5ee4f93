package dev.pawkit.sync.stack;

import dev.pawkit.sync.infra.FreePorts;
import dev.pawkit.sync.testsupport.Tokens;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;

/** HTTP to a local stack that a test runs as a process of its own, as one user; and its free ports. */
final class LocalStackClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int port;
    private final String user;
    private final Duration timeout;

    LocalStackClient(int port, String user, Duration timeout) {
        this.port = port;
        this.user = user;
        this.timeout = timeout;
    }

    /** A note titled with its own Idempotency-Key, so a card names the request that made it. */
    HttpResponse<String> createNote(String key) throws IOException, InterruptedException {
        return send(request("/api/cards").header("Idempotency-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"md-note\",\"title\":\"" + key + "\"}"))
                .build());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + Tokens.forUser(user));
    }

    /**
     * Starts the local stack as a process of its own (LocalStack's main on the test class path, with
     * its own broker on {@code kafkaPort} and its data in {@code dataDir}) on this client's port,
     * output to {@code output}, and returns once it serves this user's cards. A stack that exits or
     * does not serve within {@code timeout} is killed, never left running.
     */
    Process startStack(Path dataDir, int kafkaPort, Path output, Duration timeout, List<String> arguments)
            throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Files.createDirectories(output.toAbsolutePath().getParent());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", classpath, LocalStack.class.getName()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        // The local stack with its own broker, whatever cluster the developer's shell points at.
        builder.environment().remove("PAWKIT_KAFKA_BOOTSTRAP");
        builder.environment().putAll(Map.of(
                "PAWKIT_DATA_DIR", dataDir.toString(),
                "PAWKIT_HTTP_PORT", String.valueOf(port),
                "PAWKIT_KAFKA_PORT", String.valueOf(kafkaPort),
                "PAWKIT_ENRICHER_ENABLED", "false",
                "PAWKIT_JWT_SECRET", Tokens.SECRET));
        Process process = builder.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the local stack exited; see " + output.toAbsolutePath());
            }
            try {
                if (get("/api/cards?limit=1").statusCode() == 200) {
                    return process;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        throw new AssertionError("the local stack was not serving within " + timeout + "; see " + output.toAbsolutePath());
    }

    static int freePort() {
        return FreePorts.pick();
    }
}
