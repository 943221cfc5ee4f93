package dev.pawkit.sync.analytics;

import dev.pawkit.sync.analytics.counting.StatDelta;
import java.util.List;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Adds every user's global moves (days and domains) to the global counters, in the one task of
 * the global partition. They are in clear: sums over every user, attributable to no one.
 */
final class GlobalCountingProcessor implements FixedKeyProcessor<String, List<StatDelta>, Void> {

    private Counters globalCounters;

    @Override
    public void init(FixedKeyProcessorContext<String, Void> context) {
        this.globalCounters = new Counters(context.getStateStore(AnalyticsStores.GLOBAL_STATS));
    }

    @Override
    public void process(FixedKeyRecord<String, List<StatDelta>> record) {
        globalCounters.apply(StatKeys.GLOBAL_SCOPE, record.value());
    }
}
