package dev.pawkit.sync.api.write;

import java.time.Duration;

/** A write refused by {@link WriteRateLimiter} before it was appended: nothing was written. */
public class RateLimitedException extends RuntimeException {

    private final Duration retryAfter;

    RateLimitedException(Duration retryAfter) {
        super("too many writes; retry after " + retryAfter.toMillis() + " ms", null, false, false);
        this.retryAfter = retryAfter;
    }

    /** Whole seconds, at least 1, as {@code Retry-After} says it. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
