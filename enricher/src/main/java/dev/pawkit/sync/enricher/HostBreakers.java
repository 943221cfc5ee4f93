package dev.pawkit.sync.enricher;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Whether a host may be asked for a page now: a Resilience4j circuit breaker per host (and port).
 * An attempt that timed out, could not connect or got a 5xx/429 is a failure of the host; any
 * other answer (a page, a 404, a PDF) is a success: the host answered. Once at least half of its
 * last {@value #WINDOW} attempts failed (of at least {@value #MINIMUM_CALLS}), the host is not
 * asked at all for {@code openFor}; then {@value #TRIALS} trial attempts decide whether it is back.
 * So a dead or hanging site's backlog is answered "not tried" at once instead of each page waiting
 * for its timeouts and retries.
 *
 * <p>Thread-safe (the breakers are). At most {@value #MAX_HOSTS} hosts are remembered, each for an
 * hour after it was last asked for: a host forgotten starts closed again.
 */
final class HostBreakers {

    static final int WINDOW = 10;
    static final int MINIMUM_CALLS = 5;
    static final int TRIALS = 2;
    private static final int MAX_HOSTS = 10_000;

    private final CircuitBreakerConfig config;
    private final Duration openFor;
    private final Cache<String, CircuitBreaker> breakers = Caffeine.newBuilder()
            .maximumSize(MAX_HOSTS)
            .expireAfterAccess(Duration.ofHours(1))
            .build();

    HostBreakers(Duration openFor, Clock clock) {
        this.openFor = openFor;
        this.config = CircuitBreakerConfig.custom()
                .slidingWindow(WINDOW, MINIMUM_CALLS, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(50)
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(TRIALS)
                // Open to half-open when next asked, on the given clock: no timer thread per host.
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .clock(clock)
                .build();
    }

    /** True when the host may be asked now; then exactly one of {@link #answered}, {@link #failed} or {@link #release} must follow. */
    boolean tryAcquire(String host) {
        return breaker(host).tryAcquirePermission();
    }

    /** The host answered (with a page or not). */
    void answered(String host, Duration took) {
        breaker(host).onSuccess(took.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The host did not answer usefully: timeout, connection error, 5xx or 429. */
    void failed(String host, Duration took) {
        breaker(host).onError(took.toNanos(), TimeUnit.NANOSECONDS, HOST_FAILED);
    }

    /** The permission was not used (the enricher stops, or no request was sent). */
    void release(String host) {
        breaker(host).releasePermission();
    }

    /** The failure recorded on a card whose host was not asked. */
    String notTried(String host) {
        return "not tried: most recent fetches from " + host + " failed or timed out; it is not asked again for "
                + openFor.toSeconds() + " s";
    }

    CircuitBreaker.State state(String host) {
        return breaker(host).getState();
    }

    private CircuitBreaker breaker(String host) {
        return breakers.get(host, name -> CircuitBreaker.of(name, config));
    }

    /** What the breaker records as a failed call; never thrown, so one instance without a stack trace. */
    private static final RuntimeException HOST_FAILED = new RuntimeException("the host failed", null, false, false) {
    };
}
