package dev.pawkit.sync.analytics;

import dev.pawkit.sync.analytics.counting.CardFacts;
import dev.pawkit.sync.analytics.counting.StatDelta;
import dev.pawkit.sync.analytics.counting.StatsDecider;
import dev.pawkit.sync.analytics.counting.UserCounts;
import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.domain.log.EventEnvelope;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts each event for its owner, in the task of the owner's partition: the card's previous facts
 * and the event go through {@link StatsDecider}; the new facts and the user's counters are stored
 * sealed under the owner's key, and the moves that are counted over every user (days and domains,
 * never tags) go on downstream.
 *
 * <p>Facts or counters that no longer open (the owner was erased) count as none: an erased user who
 * writes again starts from nothing, under their new key.
 */
final class UserCountingProcessor implements FixedKeyProcessor<String, EventEnvelope, List<StatDelta>> {

    private final AnalyticsSealing sealing;
    private FixedKeyProcessorContext<String, List<StatDelta>> context;
    private KeyValueStore<String, byte[]> facts;
    private KeyValueStore<String, byte[]> counts;

    UserCountingProcessor(AnalyticsSealing sealing) {
        this.sealing = sealing;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, List<StatDelta>> context) {
        this.context = context;
        this.facts = context.getStateStore(AnalyticsStores.CARD_FACTS);
        this.counts = context.getStateStore(AnalyticsStores.USER_STATS);
    }

    @Override
    public void process(FixedKeyRecord<String, EventEnvelope> record) {
        CardEvent event = record.value().event();
        String user = event.ownerId();
        String cardKey = StatKeys.card(user, event.cardId());
        CardFacts before = sealing.openFacts(user, facts.get(cardKey)).orElse(null);
        StatsDecider.Counted counted = StatsDecider.decide(before, event);
        if (counted.deltas().isEmpty()) {
            // Nothing of this card is counted (an erased user's): nothing is stored, no key is asked for.
            return;
        }
        if (counted.after() == null) {
            facts.delete(cardKey);
        } else {
            facts.put(cardKey, sealing.sealFacts(user, counted.after()));
        }
        UserCounts counters = sealing.openCounts(user, counts.get(user)).orElseGet(UserCounts::none);
        counts.put(user, sealing.sealCounts(user, counters.plus(counted.deltas())));
        // Downstream the moves carry the start of the event's day as their time, not the event's
        // own: a global move cannot be matched to its event (and so to its owner) by its timestamp.
        long day = LocalDate.ofInstant(event.at(), ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant()
                .toEpochMilli();
        context.forward(record.withValue(counted.globalDeltas()).withTimestamp(day));
    }
}
