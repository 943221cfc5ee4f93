package dev.pawkit.sync.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The card API of one system under test, as a client sees it: the JDK's HTTP client (so the load
 * shares no code with the servers it measures) and HS256 tokens minted as scripts/mint-token does.
 * Public for the reliability workload ({@code bench.reliability}), which needs its own timeouts.
 */
public final class CardApi {

    public static final String DEVELOPMENT_SECRET = "pawkit-local-development-secret-change-me";

    private final String baseUrl;
    private final String secret;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    public CardApi(String baseUrl, String secret) {
        this.baseUrl = baseUrl;
        this.secret = secret;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** A request; {@code user} null sends none (the 401 path), {@code body} null sends none. */
    HttpResponse<String> send(String method, String path, String user, String body, Map<String, String> headers)
            throws Exception {
        return http.send(request(method, path, user, body, headers), HttpResponse.BodyHandlers.ofString());
    }

    /** As {@link #send}, answered within {@code timeout} or an {@link java.net.http.HttpTimeoutException}. */
    public HttpResponse<String> send(String method, String path, String user, String body,
            Map<String, String> headers, Duration timeout) throws java.io.IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(request(method, path, user, body, headers), (n, v) -> true)
                .timeout(timeout);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** As {@link #send(String, String, String, String, Map, Duration)}, without blocking a thread per request. */
    public CompletableFuture<HttpResponse<String>> sendAsync(String method, String path, String user, String body,
            Map<String, String> headers, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(request(method, path, user, body, headers), (n, v) -> true)
                .timeout(timeout).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> sendAsync(String method, String path, String user, String body,
            Map<String, String> headers) {
        return http.sendAsync(request(method, path, user, body, headers), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET whose body is read line by line as it arrives (a change stream). */
    HttpResponse<java.util.stream.Stream<String>> lines(String path, String user) throws Exception {
        return http.send(request("GET", path, user, null, Map.of("Accept", "text/event-stream")),
                HttpResponse.BodyHandlers.ofLines());
    }

    private HttpRequest request(String method, String path, String user, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            request.header("Authorization", "Bearer " + token(user));
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        return request.build();
    }

    /** HS256, valid for a day, minted once per user. */
    String token(String user) {
        return tokens.computeIfAbsent(user, u -> {
            try {
                Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
                long now = System.currentTimeMillis() / 1000;
                String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
                String payload = b64.encodeToString(String.format("{\"sub\":\"%s\",\"iat\":%d,\"exp\":%d}", u, now,
                        now + 86400).getBytes(StandardCharsets.UTF_8));
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                String signature = b64.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8)));
                return header + "." + payload + "." + signature;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
