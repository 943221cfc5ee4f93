package dev.pawkit.sync.projector;

import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.domain.log.OutcomeEnvelope;
import dev.pawkit.sync.schemas.PawkitSerdes;
import java.time.Duration;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The projector as a pipeline: card commands in, through the {@link CommandProcessor} and its
 * stores, card events and command outcomes out.
 */
public final class ProjectorTopology {

    private static final String COMMANDS_SOURCE = "card-commands-source";
    private static final String DECIDE = "decide";

    private ProjectorTopology() {
    }

    public static Topology build(PawkitSerdes serdes, Duration idempotencyTtl, Duration purgeInterval) {
        Topology topology = new Topology();

        // 1. Commands, in log order per partition (a partition holds whole users).
        topology.addSource(COMMANDS_SOURCE, new StringDeserializer(), serdes.commands().deserializer(),
                PawkitTopics.CARD_COMMANDS);

        // 2. Idempotency, version check, decide and evolve, in the task that owns the user.
        topology.addProcessor(DECIDE, () -> new CommandProcessor(idempotencyTtl, purgeInterval, serdes.keys()), COMMANDS_SOURCE);
        topology.addStateStore(store(Stores.CARDS, serdes.cards()), DECIDE);
        topology.addStateStore(store(Stores.IDEMPOTENCY, serdes.idempotency()), DECIDE);
        topology.addStateStore(store(Stores.OUTCOMES, serdes.outcomes()), DECIDE);
        topology.addStateStore(store(Stores.CHANGES, Serdes.String()), DECIDE);
        topology.addStateStore(store(Stores.USER_SEQUENCE, Serdes.Long()), DECIDE);
        topology.addStateStore(store(Stores.HISTORY, serdes.events()), DECIDE);
        topology.addStateStore(store(Stores.EXPIRY_INDEX, Serdes.String()), DECIDE);

        // 3. Events to the log, in the owner's partition like the command that caused them.
        topology.addSink(CommandProcessor.EVENTS_SINK, PawkitTopics.CARD_EVENTS, new StringSerializer(),
                serdes.events().serializer(), new OwnerStreamPartitioner<String, EventEnvelope>(EventEnvelope::ownerId),
                DECIDE);

        // 4. Outcomes to the reply topic, read by every API instance.
        topology.addSink(CommandProcessor.RESULTS_SINK, PawkitTopics.COMMAND_RESULTS, new StringSerializer(),
                serdes.outcomes().serializer(),
                new OwnerStreamPartitioner<String, OutcomeEnvelope>(OutcomeEnvelope::userId), DECIDE);

        // 5. An erased user's key tombstones, committed with the removal of their views.
        topology.addSink(CommandProcessor.USER_KEYS_SINK, PawkitTopics.USER_KEYS, new StringSerializer(),
                new ByteArraySerializer(), DECIDE);
        return topology;
    }

    static <V> StoreBuilder<?> store(String name, Serde<V> valueSerde) {
        KeyValueBytesStoreSupplier supplier = org.apache.kafka.streams.state.Stores.persistentKeyValueStore(name);
        // No record cache: a store write must be visible to reads as soon as its outcome is.
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(supplier, Serdes.String(), valueSerde)
                .withCachingDisabled();
    }
}
