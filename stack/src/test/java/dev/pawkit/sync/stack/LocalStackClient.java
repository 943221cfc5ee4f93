package dev.pawkit.sync.stack;

import dev.pawkit.sync.infra.FreePorts;
import dev.pawkit.sync.testsupport.Tokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

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

    static int freePort() {
        return FreePorts.pick();
    }
}
