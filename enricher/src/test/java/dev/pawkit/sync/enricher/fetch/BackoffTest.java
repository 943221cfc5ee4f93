package dev.pawkit.sync.enricher.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static Backoff withRandom(double random) {
        return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(30), () -> random);
    }

    @Test
    void theCeilingDoublesPerRetryUpToTheMaximum() {
        Backoff top = withRandom(0.999999);
        assertThat(top.delayBefore(1, null)).contains(Duration.ofMillis(99));
        assertThat(top.delayBefore(2, null)).contains(Duration.ofMillis(199));
        assertThat(top.delayBefore(3, null)).contains(Duration.ofMillis(399));
        assertThat(top.delayBefore(10, null)).contains(Duration.ofMillis(1999));
        assertThat(top.delayBefore(1_000, null)).as("no overflow").contains(Duration.ofMillis(1999));
    }

    @Test
    void fullJitterPicksAnywhereFromZeroToTheCeiling() {
        assertThat(withRandom(0).delayBefore(3, null)).contains(Duration.ZERO);
        assertThat(withRandom(0.5).delayBefore(3, null)).contains(Duration.ofMillis(200));
    }

    @Test
    void retryAfterIsHonouredWithinTheCapAndGivenUpBeyond() {
        assertThat(withRandom(0).delayBefore(1, Duration.ofSeconds(3))).contains(Duration.ofSeconds(3));
        assertThat(withRandom(0).delayBefore(1, Duration.ofSeconds(31))).isEmpty();
    }

    @Test
    void retryAfterReadsSecondsOrADate() {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        assertThat(RetryAfter.parse("7", now)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse("Wed, 01 Jan 2025 00:00:10 GMT", now)).contains(Duration.ofSeconds(10));
        assertThat(RetryAfter.parse("Tue, 31 Dec 2024 00:00:00 GMT", now)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", now)).isEmpty();
        assertThat(RetryAfter.parse(null, now)).isEmpty();
        assertThat(RetryAfter.parse("99999999999999999999999", now)).get()
                .satisfies(wait -> assertThat(wait).isGreaterThan(Duration.ofDays(365)));
    }
}
