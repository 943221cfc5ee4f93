package dev.pawkit.sync.api.analytics;

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
 * The committed event log between two positions, read as an auditor would (read_committed): what
 * analytics must have counted once its lag is 0 at a given end of the log.
 */
final class CommittedEvents implements AutoCloseable {

    private final KafkaConsumer<String, CardEventRecord> consumer;
    private final List<TopicPartition> partitions;

    CommittedEvents(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), AvroSerdes.events());
        partitions = consumer.partitionsFor(PawkitTopics.CARD_EVENTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
    }

    /** The end of the committed log now, per partition. */
    Map<TopicPartition, Long> end() {
        return consumer.endOffsets(partitions);
    }

    /** Every committed event at or after {@code from} and before {@code to}; from the start where {@code from} is empty. */
    List<CardEventRecord> between(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        for (TopicPartition partition : partitions) {
            consumer.seek(partition, from.getOrDefault(partition, 0L));
        }
        List<CardEventRecord> events = new ArrayList<>();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < to.get(p))) {
            for (ConsumerRecord<String, CardEventRecord> record : consumer.poll(Duration.ofMillis(200))) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() < to.get(partition)) {
                    events.add(record.value());
                }
            }
        }
        return events;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
