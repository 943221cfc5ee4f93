package dev.pawkit.sync.api.web;

import java.net.URI;
import org.springframework.http.HttpStatus;
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

    /** 503 for a write whose append failed: the same answer alone and as a batch member. */
    public static ProblemDetail brokerUnavailable() {
        return of(HttpStatus.SERVICE_UNAVAILABLE, "broker-unavailable", "Service unavailable",
                "the event log is unreachable; retry with the same Idempotency-Key");
    }
}
