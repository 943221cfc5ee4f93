package dev.pawkit.sync.api.read;

import dev.pawkit.sync.api.web.InvalidRequestException;
import java.nio.charset.StandardCharsets;
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

    static String changesCursor(long seq) {
        return encode(CHANGES + seq);
    }

    static long readChangesCursor(String since) {
        String position = decode(since, CHANGES, "since");
        try {
            long seq = Long.parseLong(position);
            if (seq >= 0) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // Fall through to the 400 below.
        }
        throw new InvalidRequestException("since is not a cursor this API issued");
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
