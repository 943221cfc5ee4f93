package dev.pawkit.sync.api.web;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** The problem types of the API (RFC 9457): one URI per kind of failure a client may act on. */
public final class Problems {

    public static final String BASE = "https://pawkit.dev/problems/";

    private Problems() {
    }

    public static ProblemDetail of(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(BASE + type));
        problem.setTitle(title);
        return problem;
    }

    /**
     * A problem of a status with no type of its own (an error of Spring MVC or Tomcat): its type
     * named for the status ("method-not-allowed"), its title the status's reason phrase.
     */
    public static ProblemDetail forStatus(int status, String detail) {
        HttpStatus known = HttpStatus.resolve(status);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
        problem.setType(URI.create(BASE + typeName(status)));
        problem.setTitle(OWN_TITLES.containsKey(status) ? OWN_TITLES.get(status)
                : known == null ? "Error " + status : known.getReasonPhrase());
        return problem;
    }

    /**
     * The statuses the API has a type of its own for: a refusal of Tomcat or Spring MVC with one of
     * them is that type too (a body over 1 MiB is payload-too-large whoever refused it), so a client
     * and the OpenAPI document see one type per kind of failure.
     */
    private static final Map<Integer, String> OWN_TYPES = Map.of(400, "invalid-request", 413, "payload-too-large");
    private static final Map<Integer, String> OWN_TITLES = Map.of(400, "Invalid request", 413, "Payload too large");

    /** The type name of a status: "not-found", "method-not-allowed", or "error-599" for one without a name. */
    public static String typeName(int status) {
        if (OWN_TYPES.containsKey(status)) {
            return OWN_TYPES.get(status);
        }
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "error-" + status : known.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** 400 for a request Spring Security's firewall refuses (a header value or a path it does not accept); nothing of it is echoed. */
    public static ProblemDetail rejectedByFirewall() {
        return of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "the request has a header value or a path this server does not accept");
    }

    /** 503 for a write whose append failed: the same answer alone and as a batch member. */
    public static ProblemDetail brokerUnavailable() {
        return of(HttpStatus.SERVICE_UNAVAILABLE, "broker-unavailable", "Service unavailable",
                "the event log is unreachable; retry with the same Idempotency-Key");
    }

    /** 429 for a write past the user's rate limit: the same answer alone and as a batch member. */
    public static ProblemDetail rateLimited() {
        return of(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
                "too many writes from this user; nothing was written: retry after Retry-After seconds, with the same Idempotency-Key");
    }
}
