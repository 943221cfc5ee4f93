package dev.pawkit.sync.client;

import java.time.Duration;

/**
 * Exponential backoff with full jitter: before retry {@code n} (1-based) the client waits a random
 * time in {@code [0, min(cap, base * multiplier^(n-1)))}. Full jitter spreads the retries of many
 * clients that failed together instead of making them return in waves.
 *
 * @param maxRetries retries after the first attempt; once used up the operation is failed
 */
public record RetryPolicy(Duration base, Duration cap, int maxRetries, double multiplier) {

    /** 1 s base, 8 s cap, 3 retries, doubling. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(8), 3, 2.0);

    public RetryPolicy {
        if (base.isNegative() || cap.compareTo(base) < 0 || maxRetries < 0 || multiplier < 1.0) {
            throw new IllegalArgumentException("need 0 <= base <= cap, maxRetries >= 0, multiplier >= 1");
        }
    }

    /** The upper bound of the wait before retry {@code retry}: the exponential curve, capped. */
    public Duration bound(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries count from 1");
        }
        double millis = base.toMillis() * Math.pow(multiplier, retry - 1);
        return Duration.ofMillis((long) Math.min(cap.toMillis(), millis));
    }

    /** The wait before retry {@code retry}, given a uniform random number in [0, 1). */
    public Duration delay(int retry, double random) {
        if (random < 0.0 || random >= 1.0) {
            throw new IllegalArgumentException("random must be in [0, 1)");
        }
        return Duration.ofMillis((long) (bound(retry).toMillis() * random));
    }
}
