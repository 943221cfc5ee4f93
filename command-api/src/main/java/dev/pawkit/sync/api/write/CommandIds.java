package dev.pawkit.sync.api.write;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Command ids are time-ordered UUIDs (version 7 layout), so the status endpoint can tell "not
 * decided yet" from "never existed or long expired" without a lookup table. Their 12 "rand_a" bits
 * are a digest of the user who issued them, so another user's recent id is "never existed" (404)
 * to the caller, not "pending" for ever; the 62 other random bits keep ids unguessable.
 */
public final class CommandIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private CommandIds() {
    }

    static String next(Instant now, String userId) {
        long millis = now.toEpochMilli();
        long high = (millis << 16) | 0x7000L | userTag(userId);
        long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** True when the id is a command id issued to {@code userId} within {@code window} before {@code now}. */
    public static boolean issuedWithin(UUID id, String userId, Instant now, Duration window) {
        if (id.version() != 7 || (id.getMostSignificantBits() & 0x0FFFL) != userTag(userId)) {
            return false;
        }
        Instant issued = Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16);
        return !issued.isAfter(now.plusSeconds(60)) && issued.isAfter(now.minus(window));
    }

    private static long userTag(String userId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
            return ((digest[0] & 0xFFL) << 4 | (digest[1] & 0xF0L) >>> 4) & 0x0FFFL;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
