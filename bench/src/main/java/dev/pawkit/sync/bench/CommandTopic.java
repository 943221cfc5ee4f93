package dev.pawkit.sync.bench;

import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.infra.CommandLog;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.schemas.PawkitSerdes;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The command topic as benchmarks fill it without the API (appended as the API appends) and wait
 * for a projector to decide it (its group's committed offsets at the topic's end).
 */
final class CommandTopic {

    private CommandTopic() {
    }

    /** The API's producer settings (runtime's KafkaConfiguration): idempotent, acks=all, short linger. */
    static Producer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(), new ByteArraySerializer());
    }

    /** Appends every command (sealed by {@code serdes}), and returns once all are acknowledged; throws if any failed. */
    static void append(String bootstrap, int partitions, PawkitSerdes serdes, Iterator<CommandEnvelope> commands) {
        AtomicLong failed = new AtomicLong();
        try (Producer<String, byte[]> producer = producer(bootstrap)) {
            CommandLog log = new CommandLog(producer, partitions, serdes);
            while (commands.hasNext()) {
                log.append(commands.next()).whenComplete((ok, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " command appends failed");
        }
    }

    /** The end offset of each of the topic's {@code partitions} partitions now. */
    static Map<TopicPartition, Long> end(Admin admin, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(PawkitTopics.CARD_COMMANDS, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((p, info) -> end.put(p, info.offset()));
        return end;
    }

    /** Commands before {@code end} that {@code group} has not committed past (0: it decided them all). */
    static long behind(Admin admin, String group, Map<TopicPartition, Long> end) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        long behind = 0;
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            OffsetAndMetadata at = committed.get(partition.getKey());
            behind += Math.max(0, partition.getValue() - (at == null ? 0 : at.offset()));
        }
        return behind;
    }
}
