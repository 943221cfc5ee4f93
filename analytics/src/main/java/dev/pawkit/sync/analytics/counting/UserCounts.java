package dev.pawkit.sync.analytics.counting;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every counter of one user, kept together so that they are sealed under the user's key as one
 * value: per stat, its counters by key (a UTC day for the day stats, a domain or a tag for the
 * live-card stats). A counter that falls to 0 is removed. Rankings are not kept: a user's counters
 * are few enough to be sorted when they are read.
 */
public final class UserCounts {

    private final Map<Stat, SortedMap<String, Long>> counters;

    private UserCounts(Map<Stat, SortedMap<String, Long>> counters) {
        this.counters = counters;
    }

    /** A user analytics has not counted anything for (or whose counts were erased). */
    public static UserCounts none() {
        return new UserCounts(new EnumMap<>(Stat.class));
    }

    /** The counters as read back from their stored form: for each stat, its counters by key. */
    public static UserCounts of(Map<Stat, ? extends Map<String, Long>> counters) {
        UserCounts counts = none();
        counters.forEach((stat, byKey) -> byKey.forEach((key, count) -> counts.add(stat, key, count)));
        return counts;
    }

    /** These counts with {@code deltas} applied. */
    public UserCounts plus(List<StatDelta> deltas) {
        UserCounts next = of(counters);
        deltas.forEach(delta -> next.add(delta.stat(), delta.key(), delta.by()));
        return next;
    }

    /** The counters of one stat by key, in key order (empty when none). */
    public SortedMap<String, Long> of(Stat stat) {
        return Collections.unmodifiableSortedMap(counters.getOrDefault(stat, new TreeMap<>()));
    }

    private void add(Stat stat, String key, long by) {
        SortedMap<String, Long> byKey = counters.computeIfAbsent(stat, s -> new TreeMap<>());
        long count = byKey.getOrDefault(key, 0L) + by;
        if (count == 0) {
            byKey.remove(key);
            if (byKey.isEmpty()) {
                counters.remove(stat);
            }
        } else {
            byKey.put(key, count);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UserCounts that && that.counters.equals(counters);
    }

    @Override
    public int hashCode() {
        return counters.hashCode();
    }

    @Override
    public String toString() {
        // Never the names: they are the user's own words, and a string may end up in a log.
        return "UserCounts[" + counters.values().stream().mapToInt(Map::size).sum() + " counters]";
    }
}
