package dev.pawkit.sync.api.contract;

import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.schemas.AvroSerdes;
import dev.pawkit.sync.schemas.avro.CommandOutcomeRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the broker holds as committed, beyond the event log reader of the base class: whether a
 * command's outcome is committed, and waiting out the commit markers of a transaction that has
 * already committed.
 */
final class CommittedLog {

    private final String bootstrapServers;

    CommittedLog(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Waits (bounded) until no transaction is open on the event log. A transaction commits on all
     * its partitions at once, but the markers that make it readable land one partition after the
     * other: the outcome a client was answered from can be readable a moment before the events of
     * the same transaction. Without this an exact count of committed events would be flaky.
     */
    void awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> committed = consumer("read_committed");
                KafkaConsumer<byte[], byte[]> uncommitted = consumer("read_uncommitted")) {
            List<TopicPartition> partitions = partitions(committed, PawkitTopics.CARD_EVENTS);
            while (System.nanoTime() < deadline) {
                // read_committed ends at the last stable offset, read_uncommitted at the high watermark.
                if (committed.endOffsets(partitions).equals(uncommitted.endOffsets(partitions))) {
                    return;
                }
                Thread.sleep(5);
            }
        }
    }

    /** Whether the outcome of the command is in the committed results topic now. */
    boolean outcomeCommitted(String commandId) {
        try (KafkaConsumer<String, CommandOutcomeRecord> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), AvroSerdes.outcomes())) {
            List<TopicPartition> partitions = partitions(consumer, PawkitTopics.COMMAND_RESULTS);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            boolean found = false;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, CommandOutcomeRecord> record : consumer.poll(Duration.ofMillis(200))) {
                    if (commandId.equals(record.key())) {
                        found = true;
                    }
                }
            }
            return found;
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer(String isolation) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }
}
