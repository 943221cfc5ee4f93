package dev.pawkit.sync.analytics;

import dev.pawkit.sync.analytics.counting.Stat;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Reads one scope's {@link Stats} from a counter store (an interactive-query view or a test driver's store). */
final class StatsQuery {

    private StatsQuery() {
    }

    /**
     * @param since the first day reported
     * @param top how many domains and how many tags at most, highest counts first
     */
    static Stats read(ReadOnlyKeyValueStore<String, Long> store, String scope, LocalDate since, int top) {
        return new Stats(days(store, scope, since), ranked(store, scope, Stat.DOMAIN, top),
                ranked(store, scope, Stat.TAG, top));
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
