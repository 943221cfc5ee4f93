package dev.pawkit.sync.projector;

import dev.pawkit.sync.infra.KafkaClientSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A store's committed content, read from its changelog topic: the latest value of every key,
 * reduced to a digest. A changelog is what Kafka Streams restores a store from, so it is the
 * store's durable truth; reading it needs nothing from the application that owns the store,
 * which keeps serving meanwhile.
 */
final class ChangelogSnapshot {

    private ChangelogSnapshot() {
    }

    static String topic(String applicationId, String storeName) {
        return applicationId + "-" + storeName + "-changelog";
    }

    /**
     * key → digest of its current value; deleted keys are absent. Empty if the topic does not exist.
     * Values are decoded with {@code serde} and the digest is of the decoded value (domain records,
     * whose text form names every component): what is compared is their meaning under the current
     * schema (upcast, unsealed), not the schema version or the key and nonce they were sealed with.
     * A value that no longer opens (its owner erased) counts as deleted.
     */
    static <V> Map<String, Long> read(KafkaClientSettings kafka, String topic, Serde<V> serde) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Read to the end, then closed: closing waits for the fetch in flight, so no long poll.
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.listTopics(Duration.ofSeconds(30)).getOrDefault(topic, List.of())
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<String, Long> snapshot = new HashMap<>();
            if (partitions.isEmpty()) {
                return snapshot;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String key = new String(record.key(), StandardCharsets.UTF_8);
                    V value = record.value() == null ? null : serde.deserializer().deserialize(topic, record.value());
                    if (value == null) {
                        snapshot.remove(key);
                    } else {
                        snapshot.put(key, digest(String.valueOf(value).getBytes(StandardCharsets.UTF_8)));
                    }
                }
            }
            return snapshot;
        }
    }

    /** The first 64 bits of SHA-256: equal values have equal digests; a difference is all but certain to show. */
    static long digest(byte[] value) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(value)).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
