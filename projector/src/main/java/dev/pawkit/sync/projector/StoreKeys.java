package dev.pawkit.sync.projector;

/**
 * Key layout of the projector's stores. Every key starts with its user, length-prefixed so no
 * user id can be a prefix of another's, which makes a user's entries one contiguous range: the
 * card store doubles as the per-user card index, and the change feed is a range scan.
 */
public final class StoreKeys {

    private static final int SEQ_DIGITS = 19;

    private StoreKeys() {
    }

    public static String userPrefix(String userId) {
        return userId.length() + ":" + userId + "|";
    }

    /** A user's card, idempotency key or command. */
    public static String scoped(String userId, String id) {
        return userPrefix(userId) + id;
    }

    public static String unscoped(String userId, String scopedKey) {
        return scopedKey.substring(userPrefix(userId).length());
    }

    /** Zero-padded, so numeric order is key order. */
    public static String changeSeq(String userId, long seq) {
        return userPrefix(userId) + pad(seq);
    }

    public static long seqOf(String userId, String changeKey) {
        return Long.parseLong(unscoped(userId, changeKey));
    }

    /** A card's event at a version: zero-padded, so one card's events are one range in version order. */
    public static String history(String userId, String cardId, long version) {
        return historyPrefix(userId, cardId) + pad(version);
    }

    public static String historyPrefix(String userId, String cardId) {
        return scoped(userId, cardId) + "|";
    }

    /** Expiry index: time first, so everything due is one range from the start. */
    public static String expiry(long dueMillis, String storeName, String key) {
        return pad(dueMillis) + "|" + storeName + "|" + key;
    }

    public static String expiryUpTo(long dueMillis) {
        return pad(dueMillis) + "|~";
    }

    /** The store name and key of an expiry index entry. */
    public static String[] expiryTarget(String expiryKey) {
        int first = expiryKey.indexOf('|');
        int second = expiryKey.indexOf('|', first + 1);
        return new String[] {expiryKey.substring(first + 1, second), expiryKey.substring(second + 1)};
    }

    private static String pad(long value) {
        return String.format("%0" + SEQ_DIGITS + "d", value);
    }
}
