package dev.pawkit.sync.api.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Sends a read to the instance that serves the data. Each Kafka Streams application (the
 * projector's card views, analytics) keeps a store partition in one active task; with several
 * instances it may be elsewhere, so the same request is forwarded there, once: a forwarded request
 * that is still not local means a rebalance, answered 503. Which instance owns what is each
 * application's own lookup; the forwarding is this.
 */
@Component
public class InstanceForwarder {

    static final String FORWARDED_HEADER = "X-Pawkit-Forwarded";
    private static final List<String> COPIED_REQUEST_HEADERS = List.of(HttpHeaders.AUTHORIZATION,
            HttpHeaders.IF_NONE_MATCH, HttpHeaders.ACCEPT);
    private static final List<String> COPIED_RESPONSE_HEADERS = List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.ETAG,
            HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER, "Idempotent-Replayed");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * The same request answered by the instance at {@code owner}, status, body and headers.
     *
     * @param unavailable the owning application's "not queryable here now" failure (a 503), for an
     *     owner that does not answer or ownership that is moving
     */
    public ResponseEntity<byte[]> forward(HostInfo owner, HttpServletRequest request,
            BiFunction<String, Throwable, ? extends RuntimeException> unavailable) {
        if (request.getHeader(FORWARDED_HEADER) != null) {
            throw unavailable.apply("partition ownership is moving", null);
        }
        String pathAndQuery = request.getRequestURI()
                + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        HttpRequest.Builder forward = requestTo(owner, pathAndQuery);
        for (String name : COPIED_REQUEST_HEADERS) {
            String value = request.getHeader(name);
            if (value != null) {
                forward.header(name, value);
            }
        }
        return send(forward, unavailable);
    }

    /**
     * A GET of {@code pathAndQuery} answered by the instance at {@code owner} on behalf of the
     * caller whose {@code Authorization} header it is: a read made by this instance itself (the
     * live change streams' catch-up), not the forwarding of a request.
     */
    public ResponseEntity<byte[]> get(HostInfo owner, String pathAndQuery, String authorization,
            BiFunction<String, Throwable, ? extends RuntimeException> unavailable) {
        return send(requestTo(owner, pathAndQuery).header(HttpHeaders.AUTHORIZATION, authorization)
                .header(HttpHeaders.ACCEPT, "application/json"), unavailable);
    }

    private static HttpRequest.Builder requestTo(HostInfo owner, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://" + owner.host() + ":" + owner.port() + pathAndQuery)).GET()
                .timeout(Duration.ofSeconds(10)).header(FORWARDED_HEADER, "1");
    }

    private ResponseEntity<byte[]> send(HttpRequest.Builder forward,
            BiFunction<String, Throwable, ? extends RuntimeException> unavailable) {
        try {
            HttpResponse<byte[]> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            ResponseEntity.BodyBuilder copy = ResponseEntity.status(response.statusCode());
            for (String name : COPIED_RESPONSE_HEADERS) {
                response.headers().firstValue(name).ifPresent(value -> copy.header(name, value));
            }
            return copy.body(response.body());
        } catch (IOException e) {
            throw unavailable.apply("the owning instance did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable.apply("interrupted while forwarding", e);
        }
    }
}
