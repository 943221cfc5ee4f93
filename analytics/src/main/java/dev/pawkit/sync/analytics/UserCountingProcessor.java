package dev.pawkit.sync.analytics;

import dev.pawkit.sync.analytics.counting.CardFacts;
import dev.pawkit.sync.analytics.counting.StatDelta;
import dev.pawkit.sync.analytics.counting.StatsDecider;
import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.domain.log.EventEnvelope;
import java.util.List;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts each event for its owner, in the task of the owner's partition: the card's previous facts
 * and the event go through {@link StatsDecider}; the new facts and the user's counters are stored,
 * and the counter moves go on downstream to be counted globally.
 */
final class UserCountingProcessor implements FixedKeyProcessor<String, EventEnvelope, List<StatDelta>> {

    private FixedKeyProcessorContext<String, List<StatDelta>> context;
    private KeyValueStore<String, CardFacts> facts;
    private Counters userCounters;

    @Override
    public void init(FixedKeyProcessorContext<String, List<StatDelta>> context) {
        this.context = context;
        this.facts = context.getStateStore(AnalyticsStores.CARD_FACTS);
        this.userCounters = new Counters(context.getStateStore(AnalyticsStores.USER_STATS));
    }

    @Override
    public void process(FixedKeyRecord<String, EventEnvelope> record) {
        CardEvent event = record.value().event();
        String user = event.ownerId();
        String cardKey = StatKeys.card(user, event.cardId());
        StatsDecider.Counted counted = StatsDecider.decide(facts.get(cardKey), event);
        if (counted.after() == null) {
            facts.delete(cardKey);
        } else {
            facts.put(cardKey, counted.after());
        }
        userCounters.apply(StatKeys.userScope(user), counted.deltas());
        context.forward(record.withValue(counted.deltas()));
    }
}
