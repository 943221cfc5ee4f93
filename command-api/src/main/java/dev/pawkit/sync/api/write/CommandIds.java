package dev.pawkit.sync.api.write;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Command ids are time-ordered UUIDs (version 7 layout), so the status endpoint can tell "not
 * decided yet" from "never existed or long expired" without a lookup table.
 */
public final class CommandIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private CommandIds() {
    }

    static String next(Instant now) {
        long millis = now.toEpochMilli();
        long high = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
        long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** True when the id is a command id issued within {@code window} before {@code now}. */
    public static boolean issuedWithin(UUID id, Instant now, Duration window) {
        if (id.version() != 7) {
            return false;
        }
        Instant issued = Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16);
        return !issued.isAfter(now.plusSeconds(60)) && issued.isAfter(now.minus(window));
    }
}
