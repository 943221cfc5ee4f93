package dev.pawkit.sync.api.read;

import dev.pawkit.sync.api.ProjectorRunner;
import dev.pawkit.sync.projector.ProjectorReads;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Sends a read to the instance whose projector owns the user's partition. A user's views live in
 * one active store; with several instances it may be elsewhere, so the same request is forwarded
 * there (once: a forwarded request that is still not local means a rebalance, answered 503).
 */
@Component
class ReadRouter {

    static final String FORWARDED_HEADER = "X-Pawkit-Forwarded";
    private static final List<String> COPIED_REQUEST_HEADERS = List.of(HttpHeaders.AUTHORIZATION,
            HttpHeaders.IF_NONE_MATCH, HttpHeaders.ACCEPT);
    private static final List<String> COPIED_RESPONSE_HEADERS = List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.ETAG,
            HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER, "Idempotent-Replayed");

    private final ProjectorRunner projector;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ReadRouter(ProjectorRunner projector) {
        this.projector = projector;
    }

    ProjectorReads reads() {
        return projector.reads();
    }

    /** The owner's response when the user's data is on another instance; empty when it is here. */
    Optional<ResponseEntity<byte[]>> forwardIfRemote(String userId, HttpServletRequest request) {
        ProjectorReads.Owner owner = projector.reads().ownerOf(userId);
        if (owner.local()) {
            return Optional.empty();
        }
        if (request.getHeader(FORWARDED_HEADER) != null) {
            throw new ProjectorReads.NotQueryableException("partition ownership is moving", null);
        }
        String target = "http://" + owner.host().host() + ":" + owner.host().port() + request.getRequestURI()
                + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target)).GET()
                .timeout(Duration.ofSeconds(10)).header(FORWARDED_HEADER, "1");
        for (String name : COPIED_REQUEST_HEADERS) {
            String value = request.getHeader(name);
            if (value != null) {
                forward.header(name, value);
            }
        }
        try {
            HttpResponse<byte[]> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            ResponseEntity.BodyBuilder copy = ResponseEntity.status(response.statusCode());
            for (String name : COPIED_RESPONSE_HEADERS) {
                response.headers().firstValue(name).ifPresent(value -> copy.header(name, value));
            }
            return Optional.of(copy.body(response.body()));
        } catch (IOException e) {
            throw new ProjectorReads.NotQueryableException("the owning instance did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProjectorReads.NotQueryableException("interrupted while forwarding", e);
        }
    }
}
