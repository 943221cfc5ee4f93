package dev.pawkit.sync.projector;

import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.schemas.PawkitSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;

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

    static Topology build(RebuildProgress progress) {
        Topology topology = new Topology();
        // 1. The system of record, in log order per partition (a partition holds whole users).
        topology.addSource(EVENTS_SOURCE, new StringDeserializer(), PawkitSerdes.events(), PawkitTopics.CARD_EVENTS);
        // 2. Each event folded into the views, exactly as the live projector folds what it appends.
        topology.addProcessor(FOLD, () -> new EventFoldProcessor(progress), EVENTS_SOURCE);
        topology.addStateStore(ProjectorTopology.store(Stores.CARDS, PawkitSerdes.cardViews()), FOLD);
        topology.addStateStore(ProjectorTopology.store(Stores.CHANGES, Serdes.String()), FOLD);
        topology.addStateStore(ProjectorTopology.store(Stores.USER_SEQUENCE, Serdes.Long()), FOLD);
        topology.addStateStore(ProjectorTopology.store(Stores.HISTORY, PawkitSerdes.events()), FOLD);
        return topology;
    }
}
