package dev.pawkit.sync.analytics;

import dev.pawkit.sync.analytics.counting.Stat;
import dev.pawkit.sync.analytics.counting.UserCounts;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads {@link Stats}: a user's from their (opened) counters, everyone's from the global counter
 * store (an interactive-query view or a test driver's store).
 */
final class StatsQuery {

    /** Highest counts first, then by name. */
    private static final Comparator<Map.Entry<String, Long>> RANKING =
            Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey());

    private StatsQuery() {
    }

    /** The user's numbers from the counter store: none for a user never counted or whose keys were destroyed. */
    static Stats user(ReadOnlyKeyValueStore<String, byte[]> store, AnalyticsSealing sealing, String userId,
            LocalDate since, int top) {
        return of(sealing.openCounts(userId, store.get(userId)).orElseGet(UserCounts::none), since, top);
    }

    /**
     * @param since the first day reported
     * @param top how many domains and how many tags at most, highest counts first
     */
    static Stats of(UserCounts counts, LocalDate since, int top) {
        Map<String, Stats.DayCount> byDay = new TreeMap<>();
        for (Stat stat : List.of(Stat.CREATED, Stat.UPDATED, Stat.DELETED)) {
            counts.of(stat).tailMap(since.toString()).forEach((day, count) ->
                    byDay.merge(day, Stats.DayCount.of(day, stat, count), Stats.DayCount::plus));
        }
        return new Stats(new ArrayList<>(byDay.values()), top(counts.of(Stat.DOMAIN), top),
                top(counts.of(Stat.TAG), top));
    }

    /** Everyone's days and top domains; no tags, which are never counted over every user. */
    static Stats global(ReadOnlyKeyValueStore<String, Long> store, LocalDate since, int top) {
        return new Stats(days(store, StatKeys.GLOBAL_SCOPE, since),
                ranked(store, StatKeys.GLOBAL_SCOPE, Stat.DOMAIN, top), List.of());
    }

    private static List<Stats.Ranked> top(Map<String, Long> counters, int top) {
        return counters.entrySet().stream().sorted(RANKING).limit(top)
                .map(counter -> new Stats.Ranked(counter.getKey(), counter.getValue())).toList();
    }

    private static List<Stats.DayCount> days(ReadOnlyKeyValueStore<String, Long> store, String scope, LocalDate since) {
        Map<String, Stats.DayCount> byDay = new TreeMap<>();
        try (KeyValueIterator<String, Long> it = store.range(StatKeys.daysFrom(scope, since.toString()),
                StatKeys.daysEnd(scope))) {
            while (it.hasNext()) {
                KeyValue<String, Long> counter = it.next();
                StatKeys.DayCounter day = StatKeys.dayCounter(scope, counter.key);
                byDay.merge(day.day(), Stats.DayCount.of(day.day(), day.stat(), counter.value), Stats.DayCount::plus);
            }
        }
        return new ArrayList<>(byDay.values());
    }

    private static List<Stats.Ranked> ranked(ReadOnlyKeyValueStore<String, Long> store, String scope, Stat stat,
            int top) {
        List<Stats.Ranked> ranked = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = store.prefixScan(StatKeys.rankPrefix(scope, stat),
                new StringSerializer())) {
            while (it.hasNext() && ranked.size() < top) {
                KeyValue<String, Long> entry = it.next();
                ranked.add(new Stats.Ranked(StatKeys.nameInRank(scope, stat, entry.key), entry.value));
            }
        }
        return ranked;
    }
}
