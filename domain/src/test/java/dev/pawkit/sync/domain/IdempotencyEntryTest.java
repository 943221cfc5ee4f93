package dev.pawkit.sync.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.IdempotencyEntry.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How a command's idempotency key is judged against what was remembered for it, in record time. */
class IdempotencyEntryTest {

    private static final Duration TTL = Duration.ofHours(24);
    private static final Instant FIRST_SEEN = Instant.parse("2025-03-01T09:00:00Z");
    private static final String FINGERPRINT = "sha256:patch-card-1-title";
    private static final String OTHER_FINGERPRINT = "sha256:delete-card-1";

    @Test
    void aKeyNeverSeenIsNew() {
        assertThat(IdempotencyEntry.check(null, FINGERPRINT, FIRST_SEEN, TTL)).isEqualTo(Verdict.NEW);
    }

    @Test
    void theSameRequestAgainRightAwayIsAReplay() {
        assertThat(IdempotencyEntry.check(rememberedEntry(), FINGERPRINT, FIRST_SEEN, TTL)).isEqualTo(Verdict.REPLAY);
    }

    @Test
    void theSameRequestAgainOneMillisecondBeforeExpiryIsStillAReplay() {
        Instant lastMoment = FIRST_SEEN.plus(TTL).minusMillis(1);

        assertThat(IdempotencyEntry.check(rememberedEntry(), FINGERPRINT, lastMoment, TTL)).isEqualTo(Verdict.REPLAY);
    }

    @Test
    void anotherRequestUnderTheSameKeyWithinTheTtlIsAReusedKey() {
        Instant anHourLater = FIRST_SEEN.plus(Duration.ofHours(1));

        assertThat(IdempotencyEntry.check(rememberedEntry(), OTHER_FINGERPRINT, anHourLater, TTL))
                .isEqualTo(Verdict.KEY_REUSED);
    }

    @Test
    void theSameRequestExactlyAtExpiryIsNew() {
        // The key lives for [firstSeen, firstSeen + ttl): at the boundary it is already gone.
        Instant expiry = FIRST_SEEN.plus(TTL);

        assertThat(IdempotencyEntry.check(rememberedEntry(), FINGERPRINT, expiry, TTL)).isEqualTo(Verdict.NEW);
    }

    @Test
    void theSameRequestAfterExpiryIsNewEvenIfTheEntryWasNotPurged() {
        // The purge runs on an interval; the verdict must not depend on whether it has run yet.
        Instant twoDaysLater = FIRST_SEEN.plus(Duration.ofDays(2));

        assertThat(IdempotencyEntry.check(rememberedEntry(), FINGERPRINT, twoDaysLater, TTL)).isEqualTo(Verdict.NEW);
    }

    @Test
    void anotherRequestUnderAnExpiredKeyIsNewNotAReusedKey() {
        Instant expiry = FIRST_SEEN.plus(TTL);

        assertThat(IdempotencyEntry.check(rememberedEntry(), OTHER_FINGERPRINT, expiry, TTL)).isEqualTo(Verdict.NEW);
    }

    @Test
    void anEntryExpiresTtlAfterItWasFirstSeen() {
        assertThat(rememberedEntry().expiresAt(TTL)).isEqualTo(Instant.parse("2025-03-02T09:00:00Z"));
    }

    // ---- across the deploy that changed the fingerprint (v5): a request known by two fingerprints ----

    private static final String LEGACY = "sha256:wire-bytes-of-the-same-request";

    @Test
    void aRetryOfAFirstAttemptAnOlderVersionFingerprintedIsAReplay() {
        IdempotencyEntry beforeTheDeploy = new IdempotencyEntry(LEGACY, "command-1", FIRST_SEEN);

        assertThat(IdempotencyEntry.check(beforeTheDeploy, FINGERPRINT, LEGACY, FIRST_SEEN.plusSeconds(60), TTL))
                .isEqualTo(Verdict.REPLAY);
    }

    @Test
    void aRetryFromAnOlderInstanceOfAFirstAttemptANewerOneFingerprintedIsAReplay() {
        IdempotencyEntry byTheNewVersion = new IdempotencyEntry(FINGERPRINT, LEGACY, "command-1", FIRST_SEEN);

        assertThat(IdempotencyEntry.check(byTheNewVersion, LEGACY, FIRST_SEEN.plusSeconds(60), TTL))
                .isEqualTo(Verdict.REPLAY);
    }

    @Test
    void anotherRequestIsAReusedKeyInEitherForm() {
        IdempotencyEntry remembered = new IdempotencyEntry(FINGERPRINT, LEGACY, "command-1", FIRST_SEEN);

        assertThat(IdempotencyEntry.check(remembered, OTHER_FINGERPRINT, "sha256:wire-bytes-of-another-request",
                FIRST_SEEN.plusSeconds(60), TTL)).isEqualTo(Verdict.KEY_REUSED);
        assertThat(IdempotencyEntry.check(remembered, OTHER_FINGERPRINT, null, FIRST_SEEN.plusSeconds(60), TTL))
                .isEqualTo(Verdict.KEY_REUSED);
    }

    private static IdempotencyEntry rememberedEntry() {
        return new IdempotencyEntry(FINGERPRINT, "command-1", FIRST_SEEN);
    }
}
