package dev.pawkit.sync.bench.reliability;

import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.KafkaUserKeys;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.sealing.KeyMaterial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The event log as an auditor reads it: committed events only (read_committed), every partition
 * from its start to its end now, decoded with the main code's own serde. A consumer of its own per
 * read, in no group, so reading changes nothing.
 */
public final class CommittedEvents {

    private static final Duration READ = Duration.ofSeconds(60);

    private final Map<String, Object> clientSettings;
    private final PawkitSerdes serdes;

    /**
     * @param clientSettings bootstrap servers, and security for a secured cluster
     * @param serdes opening the users' sealed content (with the stack's master key: {@link #serdes})
     */
    public CommittedEvents(Map<String, Object> clientSettings, PawkitSerdes serdes) {
        this.clientSettings = Map.copyOf(clientSettings);
        this.serdes = serdes;
    }

    /** Serdes reading the users' keys of the cluster under the master key in {@code masterKeyFile}. */
    public static PawkitSerdes serdes(Map<String, Object> clientSettings, Path masterKeyFile) throws IOException {
        return serdes(clientSettings, Files.readString(masterKeyFile));
    }

    /** Serdes reading the users' keys of the cluster under this master key (Tink JSON). */
    public static PawkitSerdes serdes(Map<String, Object> clientSettings, String masterKeyJson) {
        return PawkitSerdes.sealedWith(KafkaUserKeys.snapshot(KafkaClientSettings.of(clientSettings),
                new KeyMaterial(KeyMaterial.masterFromJson(masterKeyJson))));
    }

    /** Every committed event now, in log order per partition (a card's events are all in one partition). */
    public List<LoggedEvent> read() {
        try (KafkaConsumer<String, EventEnvelope> consumer = new KafkaConsumer<>(config("read_committed"),
                new StringDeserializer(), serdes.events().deserializer())) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, List<LoggedEvent>> byPartition = new HashMap<>();
            long deadline = System.nanoTime() + READ.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the event log to its end within " + READ);
                }
                for (ConsumerRecord<String, EventEnvelope> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.value() == null) {
                        // The checker's users are never erased: a value that does not open is a wrong master key.
                        throw new IllegalStateException("event at " + partition + "@" + record.offset()
                                + " does not open: is the master key the stack's?");
                    }
                    if (record.offset() < end.get(partition)) {
                        byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(LoggedEvent.of(record.value()));
                    }
                }
            }
            List<LoggedEvent> events = new ArrayList<>();
            partitions.forEach(p -> events.addAll(byPartition.getOrDefault(p, List.of())));
            return events;
        }
    }

    /**
     * Whether no transaction is open on the event log now: a transaction's markers land one
     * partition after the other, so a read while one is open may see part of it.
     */
    public boolean settled() {
        try (KafkaConsumer<String, byte[]> committed = new KafkaConsumer<>(config("read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
                KafkaConsumer<String, byte[]> uncommitted = new KafkaConsumer<>(config("read_uncommitted"),
                        new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(committed);
            // Assigned, or the consumers log a warning for every partition whose end they were asked.
            committed.assign(partitions);
            uncommitted.assign(partitions);
            // read_committed ends at the last stable offset, read_uncommitted at the high watermark.
            return committed.endOffsets(partitions).equals(uncommitted.endOffsets(partitions));
        }
    }

    private Map<String, Object> config(String isolation) {
        Map<String, Object> config = new HashMap<>(clientSettings);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Read to the end, then closed: closing waits for the fetch in flight, so no long poll.
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        return config;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer) {
        return consumer.partitionsFor(PawkitTopics.CARD_EVENTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }
}
