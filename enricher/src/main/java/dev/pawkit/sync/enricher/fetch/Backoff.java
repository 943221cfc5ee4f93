package dev.pawkit.sync.enricher.fetch;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before retrying a transient failure: exponential backoff with full jitter
 * (a uniform pick in [0, min(max, base * 2^(retry-1))]), so enrichers retrying the same site do
 * not hit it in step. A server's {@code Retry-After} is honoured as asked when it is within the
 * cap; beyond it, retrying sooner would be rude and waiting would hold a worker, so the fetch
 * gives up.
 *
 * @param random uniform in [0, 1); injectable so tests get fixed delays
 */
public record Backoff(Duration base, Duration max, Duration retryAfterCap, DoubleSupplier random) {

    /** The delay before retry number {@code retry} (1 for the first), or empty to give up. */
    public Optional<Duration> delayBefore(int retry, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(retryAfterCap) <= 0 ? Optional.of(retryAfter) : Optional.empty();
        }
        return Optional.of(jittered(retry));
    }

    private Duration jittered(int retry) {
        long baseMillis = base.toMillis();
        // Capped before shifting: 2^(retry-1) overflows long long before any real retry count.
        int shift = Math.min(Math.max(retry - 1, 0), 30);
        long ceiling = Math.min(max.toMillis(), baseMillis << shift);
        return Duration.ofMillis((long) (random.getAsDouble() * ceiling));
    }
}
