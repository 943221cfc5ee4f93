package dev.pawkit.sync.api;

import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.schemas.AvroSerdes;
import dev.pawkit.sync.schemas.avro.CardEventRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the committed event log from the start, as an auditor would: the ground truth for "nothing
 * acknowledged lost, nothing applied twice".
 */
public final class EventLog {

    private final String bootstrapServers;

    public EventLog(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Every committed event of the user, in log order. */
    public List<CardEventRecord> eventsOf(String userId) {
        try (KafkaConsumer<String, CardEventRecord> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), AvroSerdes.events())) {
            List<TopicPartition> partitions = consumer.partitionsFor(PawkitTopics.CARD_EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<CardEventRecord> events = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, CardEventRecord> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value().getOwnerId().equals(userId)) {
                        events.add(record.value());
                    }
                }
            }
            return events;
        }
    }

    /** Every committed event of one of the user's cards, in order. */
    public List<CardEventRecord> eventsOf(String userId, String cardId) {
        return eventsOf(userId).stream().filter(e -> e.getCardId().equals(cardId)).toList();
    }
}
