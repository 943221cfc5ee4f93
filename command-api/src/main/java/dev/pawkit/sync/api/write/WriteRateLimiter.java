package dev.pawkit.sync.api.write;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * One token bucket per user for writes (each command, a batch's members one by one), so that one
 * runaway client cannot flood the command log, which is kept forever: past the burst, a user's
 * writes are refused with 429 and {@code Retry-After} before anything is appended, while every other
 * user writes on. Buckets live in memory per API instance (a user's writes may reach several
 * instances: the limit is per instance) and are forgotten after ten idle minutes, bounded in number.
 */
@Component
@EnableConfigurationProperties(WriteRateLimiter.Settings.class)
public class WriteRateLimiter {

    /**
     * @param enabled off: no limit at all
     * @param perSecond writes per second a user may keep up
     * @param burst writes a user may make at once after being idle (a client draining its offline queue)
     */
    @ConfigurationProperties("pawkit.rate-limit")
    public record Settings(@DefaultValue("true") boolean enabled, @DefaultValue("500") int perSecond,
            @DefaultValue("2000") int burst) {
    }

    private final Settings settings;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000)
            .build();

    WriteRateLimiter(Settings settings) {
        if (settings.perSecond() < 1 || settings.burst() < 1) {
            throw new IllegalArgumentException("pawkit.rate-limit.per-second and burst must be at least 1");
        }
        this.settings = settings;
    }

    /** Takes one write from the user's bucket: empty if allowed, else how long until one is. */
    public Optional<Duration> tryAcquire(String userId) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        ConsumptionProbe probe = buckets.get(userId, user -> newBucket()).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(settings.burst())
                        .refillGreedy(settings.perSecond(), Duration.ofSeconds(1)).build())
                .build();
    }
}
