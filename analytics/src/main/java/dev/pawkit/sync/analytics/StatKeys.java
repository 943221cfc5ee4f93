package dev.pawkit.sync.analytics;

import dev.pawkit.sync.analytics.counting.Stat;
import java.util.Locale;

/**
 * Key layout of the analytics stores. A user's card in the facts store is the user id, length
 * prefixed so that no user id is a prefix of another's, then the card id (a user's counters are
 * one sealed value under the user id). The global counter store, in clear, holds days and domains:
 * day counters sort by ISO day, so a window of days is one range; each domain has a counter and a
 * ranking entry whose key starts with the inverted, zero-padded count, so the top N are the first
 * N of a prefix scan.
 */
final class StatKeys {

    /** The global stores hold one scope only. */
    static final String GLOBAL_SCOPE = "";
    private static final int COUNT_DIGITS = 19;

    private StatKeys() {
    }

    static String userScope(String userId) {
        return userId.length() + ":" + userId + "|";
    }

    /** A user's card in the facts store. */
    static String card(String userId, String cardId) {
        return userScope(userId) + cardId;
    }

    static String counter(String scope, Stat stat, String key) {
        return switch (stat) {
            case CREATED, UPDATED, DELETED -> scope + "day|" + key + "|" + stat.name().toLowerCase(Locale.ROOT);
            case DOMAIN -> scope + "domain|" + key;
            // Never stored: tags are counted per user only, inside the user's sealed counters.
            case TAG -> throw new IllegalArgumentException("tags are not counted in a clear store");
        };
    }

    static boolean ranked(Stat stat) {
        return stat == Stat.DOMAIN;
    }

    /** The ranking entry of a domain at a count: higher counts first, then by name. */
    static String rank(String scope, Stat stat, long count, String key) {
        return rankPrefix(scope, stat) + String.format("%0" + COUNT_DIGITS + "d", Long.MAX_VALUE - count) + "|" + key;
    }

    static String rankPrefix(String scope, Stat stat) {
        return scope + stat.name().toLowerCase(Locale.ROOT) + "-rank|";
    }

    static String nameInRank(String scope, Stat stat, String rankKey) {
        return rankKey.substring(rankPrefix(scope, stat).length() + COUNT_DIGITS + 1);
    }

    /** First key of the day counters from {@code day} on. */
    static String daysFrom(String scope, String day) {
        return scope + "day|" + day;
    }

    /** Past the last day counter of the scope. */
    static String daysEnd(String scope) {
        return scope + "day|~";
    }

    record DayCounter(String day, Stat stat) {
    }

    /** The day and the stat of a day counter key. */
    static DayCounter dayCounter(String scope, String counterKey) {
        String rest = counterKey.substring((scope + "day|").length());
        int bar = rest.indexOf('|');
        return new DayCounter(rest.substring(0, bar), Stat.valueOf(rest.substring(bar + 1).toUpperCase(Locale.ROOT)));
    }
}
