package dev.pawkit.sync.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** When a host is asked: closed, open after most recent attempts failed, trials after the pause. */
class HostBreakersTest {

    private static final Duration TOOK = Duration.ofMillis(10);

    private Instant now = Instant.parse("2026-12-06T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final HostBreakers breakers = new HostBreakers(Duration.ofSeconds(30), clock);

    private void fail(String host, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(breakers.tryAcquire(host)).isTrue();
            breakers.failed(host, TOOK);
        }
    }

    @Test
    void aHostFailingItsFirstFetchesIsNotAskedForThePauseAndOthersStillAre() {
        fail("dead.example:80", HostBreakers.MINIMUM_CALLS - 1);
        assertThat(breakers.tryAcquire("dead.example:80")).as("too few calls to judge").isTrue();
        breakers.failed("dead.example:80", TOOK);

        assertThat(breakers.tryAcquire("dead.example:80")).isFalse();
        assertThat(breakers.state("dead.example:80")).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breakers.notTried("dead.example:80")).isEqualTo(
                "not tried: most recent fetches from dead.example:80 failed or timed out; it is not asked again for 30 s");
        assertThat(breakers.tryAcquire("dead.example:8080")).as("another port, another server").isTrue();
    }

    @Test
    void answersOfAnyKindKeepAHostOpenEvenWithSomeFailures() {
        for (int i = 0; i < 20; i++) {
            assertThat(breakers.tryAcquire("site:443")).isTrue();
            if (i % 3 == 0) {
                breakers.failed("site:443", TOOK);
            } else {
                // A page, a 404, a PDF: the host answered.
                breakers.answered("site:443", TOOK);
            }
        }
        assertThat(breakers.state("site:443")).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void afterThePauseTwoTrialsDecideWhetherTheHostIsBack() {
        fail("flaky:80", HostBreakers.MINIMUM_CALLS);
        now = now.plusSeconds(29);
        assertThat(breakers.tryAcquire("flaky:80")).isFalse();

        now = now.plusSeconds(1).plusMillis(1);
        assertThat(breakers.tryAcquire("flaky:80")).isTrue();
        assertThat(breakers.tryAcquire("flaky:80")).isTrue();
        assertThat(breakers.tryAcquire("flaky:80")).as("only two trials at once").isFalse();
        breakers.answered("flaky:80", TOOK);
        breakers.answered("flaky:80", TOOK);
        assertThat(breakers.state("flaky:80")).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breakers.tryAcquire("flaky:80")).isTrue();
    }

    @Test
    void failedTrialsPauseTheHostAgain() {
        fail("dead:80", HostBreakers.MINIMUM_CALLS);
        now = now.plusSeconds(30).plusMillis(1);
        fail("dead:80", HostBreakers.TRIALS);
        assertThat(breakers.state("dead:80")).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breakers.tryAcquire("dead:80")).isFalse();
    }

    @Test
    void aPermissionNotUsedIsGivenBack() {
        fail("half:80", HostBreakers.MINIMUM_CALLS);
        now = now.plusSeconds(30).plusMillis(1);
        assertThat(breakers.tryAcquire("half:80")).isTrue();
        assertThat(breakers.tryAcquire("half:80")).isTrue();
        breakers.release("half:80");
        assertThat(breakers.tryAcquire("half:80")).as("the released trial is free again").isTrue();
    }
}
