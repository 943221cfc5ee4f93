package dev.pawkit.sync.analytics;

import dev.pawkit.sync.analytics.counting.StatDelta;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies counter moves to the global counter store, keeping each domain's ranking entry in step
 * with its count. A counter that reaches 0 is removed, so the store holds only domains that are
 * live somewhere.
 */
final class Counters {

    private final KeyValueStore<String, Long> store;

    Counters(KeyValueStore<String, Long> store) {
        this.store = store;
    }

    void apply(String scope, List<StatDelta> deltas) {
        for (StatDelta delta : deltas) {
            String key = StatKeys.counter(scope, delta.stat(), delta.key());
            Long stored = store.get(key);
            long before = stored == null ? 0 : stored;
            long after = before + delta.by();
            if (after == 0) {
                store.delete(key);
            } else {
                store.put(key, after);
            }
            if (StatKeys.ranked(delta.stat())) {
                if (before > 0) {
                    store.delete(StatKeys.rank(scope, delta.stat(), before, delta.key()));
                }
                if (after > 0) {
                    store.put(StatKeys.rank(scope, delta.stat(), after, delta.key()), after);
                }
            }
        }
    }
}
