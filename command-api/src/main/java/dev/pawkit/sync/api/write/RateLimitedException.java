package dev.pawkit.sync.api.write;

import dev.pawkit.sync.api.web.Problems;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** A write refused by {@link WriteRateLimiter} before it was appended: nothing was written. */
public class RateLimitedException extends RuntimeException {

    private final Duration retryAfter;

    RateLimitedException(Duration retryAfter) {
        super("too many writes; retry after " + retryAfter.toMillis() + " ms", null, false, false);
        this.retryAfter = retryAfter;
    }

    /** The answer, for a request alone and for a batch member alike: {@code Retry-After} in whole seconds, at least 1. */
    public ResponseEntity<ProblemDetail> response() {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header("Retry-After", String.valueOf(Math.max(1, (retryAfter.toMillis() + 999) / 1000)))
                .body(Problems.rateLimited());
    }
}
