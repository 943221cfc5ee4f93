package dev.pawkit.sync.api.read;

import dev.pawkit.sync.api.web.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * Opaque paging cursors: base64url of a tagged position, so clients cannot confuse a list cursor
 * with a change-feed cursor, and a forged or truncated one is a 400.
 */
final class Cursors {

    private static final String LIST = "list:";
    private static final String CHANGES = "changes:";
    private static final String HISTORY = "history:";

    private Cursors() {
    }

    static String listCursor(String lastCardId) {
        return encode(LIST + lastCardId);
    }

    static String readListCursor(String cursor) {
        String position = decode(cursor, LIST, "cursor");
        try {
            return UUID.fromString(position).toString();
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("cursor is not one this API issued");
        }
    }

    /**
     * A change-feed position, tagged with a digest of its user so that another user's cursor is a
     * 400 rather than a silent read of the caller's feed from someone else's position.
     */
    static String changesCursor(String userId, long seq) {
        return encode(CHANGES + seq + ":" + userTag(userId));
    }

    /**
     * The position in the caller's feed; {@code name} is how the request gave it ("since",
     * "Last-Event-ID"). A cursor without a tag, as issued before tags, is still read.
     */
    static long readChangesCursor(String userId, String since, String name) {
        String position = decode(since, CHANGES, name);
        int colon = position.indexOf(':');
        if (colon >= 0) {
            if (!position.substring(colon + 1).equals(userTag(userId))) {
                throw new InvalidRequestException(name + " is a cursor of another user's change feed");
            }
            position = position.substring(0, colon);
        }
        try {
            long seq = Long.parseLong(position);
            if (seq >= 0) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // Fall through to the 400 below.
        }
        throw new InvalidRequestException(name + " is not a cursor this API issued");
    }

    /** 400 for a position beyond the user's latest change: a cursor from a wiped or another system. */
    static void requireWithinFeed(long sinceSeq, long headSeq, String name) {
        if (sinceSeq > headSeq) {
            throw new InvalidRequestException(name + " is past the end of your change feed");
        }
    }

    private static String userTag(String userId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 6));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static String historyCursor(long lastVersion) {
        return encode(HISTORY + lastVersion);
    }

    static long readHistoryCursor(String cursor) {
        String position = decode(cursor, HISTORY, "cursor");
        try {
            long version = Long.parseLong(position);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // Fall through to the 400 below.
        }
        throw new InvalidRequestException("cursor is not one this API issued");
    }

    static int limit(String limit) {
        if (limit == null) {
            return 100;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= 1000) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Fall through to the 400 below.
        }
        throw new InvalidRequestException("limit must be an integer from 1 to 1000");
    }

    private static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor, String tag, String name) {
        try {
            String position = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (position.startsWith(tag)) {
                return position.substring(tag.length());
            }
        } catch (IllegalArgumentException e) {
            // Fall through to the 400 below.
        }
        throw new InvalidRequestException(name + " is not a cursor this API issued");
    }
}
