package dev.pawkit.sync.analytics;

import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.sealing.UserKeys;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Analytics as a pipeline: card events in, counted per user in the owner's partition (sealed under
 * the owner's key), the global moves of every partition (days and domains, nothing else of a
 * user's) gathered into one partition, counted globally there. Nothing leaves the application: the
 * stores are the result, read through interactive queries.
 */
public final class AnalyticsTopology {

    /** The key of every global move, and of the global partition's owner in interactive queries. */
    static final String GLOBAL_KEY = "global";

    private AnalyticsTopology() {
    }

    /** @param keys the users' keys: the events are opened, and the users' facts and counters sealed, with them */
    public static Topology build(UserKeys keys) {
        PawkitSerdes serdes = PawkitSerdes.sealedWith(keys);
        AnalyticsSealing sealing = new AnalyticsSealing(keys);
        StreamsBuilder builder = new StreamsBuilder();
        // Keys hold user and card ids only; values are sealed by AnalyticsSealing.
        builder.addStateStore(store(AnalyticsStores.CARD_FACTS, Serdes.ByteArray()));
        builder.addStateStore(store(AnalyticsStores.USER_STATS, Serdes.ByteArray()));
        builder.addStateStore(store(AnalyticsStores.GLOBAL_STATS, Serdes.Long()));

        // 1. The event log from its first event, in order per partition (a partition holds whole users).
        builder.stream(PawkitTopics.CARD_EVENTS, Consumed.with(Serdes.String(), serdes.events())
                        .withOffsetResetPolicy(AutoOffsetReset.earliest()).withName("card-events"))
                // An erased user's events read as nothing (their keys are destroyed): nothing to count.
                .filter((cardId, event) -> event != null, Named.as("readable-events"))
                // 2. Each event against its card's previous facts: the owner's counters, and the moves out.
                .processValues(() -> new UserCountingProcessor(sealing), Named.as("count-per-user"),
                        AnalyticsStores.CARD_FACTS, AnalyticsStores.USER_STATS)
                // 3. Every partition's moves into one partition, in order per source partition, keyed
                //    by nothing of the card's: the card id would name the owner through the event log.
                .selectKey((cardId, moves) -> GLOBAL_KEY, Named.as("global-key"))
                .repartition(Repartitioned.with(Serdes.String(), AnalyticsSerdes.deltas())
                        .withName(AnalyticsStores.GLOBAL_DELTAS).withNumberOfPartitions(1))
                // 4. The global counters, in the one task of that partition.
                .processValues(GlobalCountingProcessor::new, Named.as("count-globally"), AnalyticsStores.GLOBAL_STATS);
        return builder.build();
    }

    private static <V> StoreBuilder<?> store(String name, Serde<V> valueSerde) {
        // Cached: a hot counter (today's creations) is written to its changelog once per commit, not once per event.
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde)
                .withCachingEnabled();
    }
}
