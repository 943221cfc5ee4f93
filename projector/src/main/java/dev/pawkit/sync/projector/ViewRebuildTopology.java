package dev.pawkit.sync.projector;

import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.schemas.PawkitSerdes;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The read views rebuilt from the event log alone: card events in, from the first one, folded by
 * the same {@link CardViews} as the live projector into stores of the same names and layout.
 * Nothing goes out; the stores (and their changelogs, under the rebuild's own application id)
 * are the result.
 */
final class ViewRebuildTopology {

    private static final String EVENTS_SOURCE = "card-events-source";
    private static final String FOLD = "fold-into-views";

    private ViewRebuildTopology() {
    }

    /**
     * Unlike the live projector's, these stores cache: nothing waits on a rebuild's reads, and a
     * card's successive versions, or a user's sequence, then reach the changelog once per commit
     * instead of once per event.
     */
    private static <V> StoreBuilder<?> cached(String name, Serde<V> valueSerde) {
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde)
                .withCachingEnabled();
    }

    static Topology build(PawkitSerdes serdes, RebuildProgress progress) {
        Topology topology = new Topology();
        // 1. The system of record, in log order per partition (a partition holds whole users).
        topology.addSource(EVENTS_SOURCE, new StringDeserializer(), serdes.events().deserializer(), PawkitTopics.CARD_EVENTS);
        // 2. Each event folded into the views, exactly as the live projector folds what it appends.
        topology.addProcessor(FOLD, () -> new EventFoldProcessor(progress), EVENTS_SOURCE);
        topology.addStateStore(cached(Stores.CARDS, serdes.cards()), FOLD);
        topology.addStateStore(cached(Stores.CHANGES, Serdes.String()), FOLD);
        topology.addStateStore(cached(Stores.USER_SEQUENCE, Serdes.Long()), FOLD);
        topology.addStateStore(cached(Stores.HISTORY, serdes.events()), FOLD);
        return topology;
    }
}
