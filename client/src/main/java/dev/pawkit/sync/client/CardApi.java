package dev.pawkit.sync.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The server's card API over HTTP, one method per request the client makes. Knows paths, headers
 * and bodies; deciding what an answer means is {@link ResponseClassifier}'s job.
 */
final class CardApi {

    private final HttpClient http;
    private final URI baseUri;
    private final Supplier<String> token;
    private final Duration requestTimeout;
    private final String clientId;

    CardApi(HttpClient http, URI baseUri, Supplier<String> token, Duration requestTimeout, String clientId) {
        this.http = http;
        this.baseUri = baseUri;
        this.token = token;
        this.requestTimeout = requestTimeout;
        this.clientId = clientId;
    }

    ApiResponse create(String cardId, CardFields fields, String key) throws IOException, InterruptedException {
        return send(write("/api/cards", key).POST(body(CardJson.createBody(cardId, fields))));
    }

    ApiResponse update(String cardId, CardPatch patch, long baseVersion, String key)
            throws IOException, InterruptedException {
        return send(write("/api/cards/" + cardId, key)
                .method("PATCH", body(CardJson.patchBody(patch, baseVersion))));
    }

    ApiResponse delete(String cardId, long baseVersion, String key) throws IOException, InterruptedException {
        String query = baseVersion > 0 ? "?version=" + baseVersion : "";
        return send(write("/api/cards/" + cardId + query, key).DELETE());
    }

    ApiResponse refreshMetadata(String cardId, String key) throws IOException, InterruptedException {
        return send(write("/api/cards/" + cardId + "/refresh-metadata", key)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** Several writes in one request; each member carries its own key (the batch as a whole has none). */
    ApiResponse batch(String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = request("/api/batch").header("Content-Type", "application/json");
        if (clientId != null) {
            request.header("X-Client-Id", clientId);
        }
        return send(request.POST(body(body)));
    }

    /** A {@code Location} to poll after a 202: the command's decision once made. */
    ApiResponse get(String location) throws IOException, InterruptedException {
        return send(request(location).GET());
    }

    ApiResponse changes(String since, int limit) throws IOException, InterruptedException {
        String query = "?limit=" + limit + (since == null ? "" : "&since=" + URLEncoder.encode(since, StandardCharsets.UTF_8));
        return send(request("/api/cards/changes" + query).GET());
    }

    /**
     * Opens the live change stream from {@code cursor} (the feed's cursor; null: from the start).
     * The timeout bounds the wait for the answer, not the stream, which lasts until either side ends it.
     */
    HttpResponse<Stream<String>> changeStream(String cursor) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUri.resolve("/api/cards/changes/stream"))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + token.get())
                .header("Accept", "text/event-stream");
        if (cursor != null) {
            request.header("Last-Event-ID", cursor);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofLines());
    }

    private HttpRequest.Builder write(String path, String key) {
        HttpRequest.Builder request = request(path).header("Idempotency-Key", key)
                .header("Content-Type", "application/json");
        if (clientId != null) {
            request.header("X-Client-Id", clientId);
        }
        return request;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(baseUri.resolve(path))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + token.get())
                .header("Accept", "application/json");
    }

    private static HttpRequest.BodyPublisher body(String json) {
        return HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8);
    }

    private ApiResponse send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new ApiResponse(response.statusCode(), response.body(),
                response.headers().firstValue("Location").orElse(null),
                response.headers().firstValue("Retry-After").orElse(null));
    }
}
