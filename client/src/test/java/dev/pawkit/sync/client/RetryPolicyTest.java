package dev.pawkit.sync.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Exponential backoff with full jitter, as a pure function of the retry number and a random draw. */
class RetryPolicyTest {

    @Test
    void defaultsAreOneSecondBaseEightSecondCapThreeRetries() {
        assertThat(RetryPolicy.DEFAULT.base()).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryPolicy.DEFAULT.cap()).isEqualTo(Duration.ofSeconds(8));
        assertThat(RetryPolicy.DEFAULT.maxRetries()).isEqualTo(3);
    }

    @Test
    void boundsDoubleFromTheBaseUntilTheCap() {
        assertThat(IntStream.rangeClosed(1, 6).mapToObj(RetryPolicy.DEFAULT::bound).toList()).containsExactly(
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(8), Duration.ofSeconds(8));
    }

    @Test
    void backoffDelaysStayWithinTheirJitteredBounds() {
        Random random = new Random(42);
        for (int retry = 1; retry <= 8; retry++) {
            Duration bound = RetryPolicy.DEFAULT.bound(retry);
            for (int draw = 0; draw < 1000; draw++) {
                Duration delay = RetryPolicy.DEFAULT.delay(retry, random.nextDouble());
                assertThat(delay).isGreaterThanOrEqualTo(Duration.ZERO).isLessThanOrEqualTo(bound);
            }
        }
    }

    @Test
    void fullJitterSpansTheWholeIntervalFromZero() {
        assertThat(RetryPolicy.DEFAULT.delay(3, 0.0)).isEqualTo(Duration.ZERO);
        assertThat(RetryPolicy.DEFAULT.delay(3, 0.5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(RetryPolicy.DEFAULT.delay(3, 0.999)).isEqualTo(Duration.ofMillis(3996));
    }

    @Test
    void delaysGrowAsConfiguredForTheSameDraw() {
        RetryPolicy tripling = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), 5, 3.0);
        List<Duration> delays = IntStream.rangeClosed(1, 5).mapToObj(n -> tripling.delay(n, 0.5)).toList();
        assertThat(delays).containsExactly(Duration.ofMillis(50), Duration.ofMillis(150), Duration.ofMillis(450),
                Duration.ofMillis(1000), Duration.ofMillis(1000));
    }

    @Test
    void theAverageDelayGrowsWithEachRetry() {
        Random random = new Random(7);
        double previous = -1;
        for (int retry = 1; retry <= 4; retry++) {
            int n = retry;
            double mean = IntStream.range(0, 5000)
                    .mapToLong(i -> RetryPolicy.DEFAULT.delay(n, random.nextDouble()).toMillis()).average().orElseThrow();
            // Full jitter averages half the bound: 500, 1000, 2000, 4000 ms.
            assertThat(mean).isBetween(RetryPolicy.DEFAULT.bound(retry).toMillis() * 0.45,
                    RetryPolicy.DEFAULT.bound(retry).toMillis() * 0.55);
            assertThat(mean).isGreaterThan(previous);
            previous = mean;
        }
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.delay(1, 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.bound(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 3, 2.0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
