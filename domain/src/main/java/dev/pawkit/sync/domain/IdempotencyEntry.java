package dev.pawkit.sync.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * What the projector remembers about one (user, idempotency key): which request it named, the
 * command whose outcome answers it, and when it was first seen (record time, never the clock).
 *
 * @param legacyFingerprint the request's fingerprint as versions before the current fingerprint
 *     computed it, or null (see {@link #check(IdempotencyEntry, String, String, Instant, Duration)})
 */
public record IdempotencyEntry(String fingerprint, String legacyFingerprint, String commandId, Instant firstSeen) {

    public IdempotencyEntry(String fingerprint, String commandId, Instant firstSeen) {
        this(fingerprint, null, commandId, firstSeen);
    }

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
        return check(existing, fingerprint, null, at, ttl);
    }

    /**
     * As {@link #check(IdempotencyEntry, String, Instant, Duration)}, for a request known by two
     * fingerprints: the current one and the one versions before it computed. The same request is
     * one whose fingerprints meet the entry's in either form, so a retry is a replay whichever
     * version fingerprinted its first attempt (during a rolling deploy, both run).
     */
    public static Verdict check(IdempotencyEntry existing, String fingerprint, String legacyFingerprint, Instant at,
            Duration ttl) {
        if (existing == null || !at.isBefore(existing.expiresAt(ttl))) {
            // An expired entry not yet purged counts as absent, so the answer does not depend on
            // when the purge last ran.
            return Verdict.NEW;
        }
        return existing.names(fingerprint) || existing.names(legacyFingerprint) ? Verdict.REPLAY : Verdict.KEY_REUSED;
    }

    private boolean names(String requestFingerprint) {
        return requestFingerprint != null
                && (requestFingerprint.equals(fingerprint) || requestFingerprint.equals(legacyFingerprint));
    }
}
