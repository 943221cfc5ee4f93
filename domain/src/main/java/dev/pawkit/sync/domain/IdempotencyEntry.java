package dev.pawkit.sync.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * What the projector remembers about one (user, idempotency key): which request it named, the
 * command whose outcome answers it, and when it was first seen (record time, never the clock).
 */
public record IdempotencyEntry(String fingerprint, String commandId, Instant firstSeen) {

    public enum Verdict {
        /** Never seen (or expired): decide the command. */
        NEW,
        /** Same request again: answer with the stored outcome, change nothing. */
        REPLAY,
        /** Same key, different request: refuse, change nothing. */
        KEY_REUSED
    }

    public Instant expiresAt(Duration ttl) {
        return firstSeen.plus(ttl);
    }

    /**
     * @param existing the entry for this key, or null
     * @param at the incoming command's record time
     */
    public static Verdict check(IdempotencyEntry existing, String fingerprint, Instant at, Duration ttl) {
        if (existing == null || !at.isBefore(existing.expiresAt(ttl))) {
            // An expired entry not yet purged counts as absent, so the answer does not depend on
            // when the purge last ran.
            return Verdict.NEW;
        }
        return existing.fingerprint().equals(fingerprint) ? Verdict.REPLAY : Verdict.KEY_REUSED;
    }
}
