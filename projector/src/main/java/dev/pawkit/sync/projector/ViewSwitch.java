package dev.pawkit.sync.projector;

import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.PawkitTopics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Rolls the projector over to views rebuilt beside the live ones (a changed projection): the
 * rebuilt views ({@link ViewRebuild} with {@code keep}, under the new application id) are caught
 * up, the decision state only the command log could rebuild (idempotency keys, outcomes, their
 * expiry index) is copied over, and the new application id takes over the command log where the
 * old one stopped. The projector then starts with the new application id and restores everything
 * from its changelogs; the old one's state is dropped afterwards with {@link #dropOld}.
 *
 * <p>Runs while no projector of the old application id runs: writes wait (202, then decided by the
 * new projector) for the seconds the switch takes; reads of the old views stop with the old projector.
 */
public final class ViewSwitch {

    /** Stores that are not a fold of the event log: copied as they are. */
    static final List<String> DECISION_STORES = List.of(Stores.IDEMPOTENCY, Stores.OUTCOMES, Stores.EXPIRY_INDEX);

    private ViewSwitch() {
    }

    public static void run(ViewRebuild.Options newViews, String oldApplicationId, PrintStream out) throws Exception {
        KafkaClientSettings kafka = newViews.kafka();
        String newApplicationId = newViews.rebuildApplicationId();
        try (Admin admin = Admin.create(kafka.admin(Map.of()))) {
            requireStopped(admin, oldApplicationId);
            ViewRebuild.catchUp(newViews, out);
            for (String store : DECISION_STORES) {
                long copied = copyChangelog(admin, kafka, ChangelogSnapshot.topic(oldApplicationId, store),
                        ChangelogSnapshot.topic(newApplicationId, store));
                out.printf("copied %s: %,d records%n", store, copied);
            }
            // Once more, right before the handover: an old projector started meanwhile would decide twice.
            requireStopped(admin, oldApplicationId);
            Map<TopicPartition, OffsetAndMetadata> position = admin.listConsumerGroupOffsets(oldApplicationId)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(PawkitTopics.CARD_COMMANDS))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            admin.alterConsumerGroupOffsets(newApplicationId, position).all().get(30, TimeUnit.SECONDS);
            out.printf("%s takes over %s at %s%n", newApplicationId, PawkitTopics.CARD_COMMANDS, position.values()
                    .stream().map(OffsetAndMetadata::offset).toList());
            out.printf("now start the projector with pawkit.projector.application-id=%s, then drop %s%n",
                    newApplicationId, oldApplicationId);
        }
    }

    /** Drops everything of the old application id once the new one runs: its changelogs and group. */
    public static void dropOld(KafkaClientSettings kafka, String oldApplicationId, PrintStream out) throws Exception {
        try (Admin admin = Admin.create(kafka.admin(Map.of()))) {
            requireStopped(admin, oldApplicationId);
            ViewRebuild.drop(admin, oldApplicationId, out);
        }
    }

    /**
     * Two projectors deciding the same commands would each append events: refuse while the old one
     * runs. A stopped projector's membership can linger until its session times out: wait for that.
     */
    private static void requireStopped(Admin admin, String applicationId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            int members;
            try {
                members = admin.describeConsumerGroups(List.of(applicationId)).describedGroups().get(applicationId)
                        .get(30, TimeUnit.SECONDS).members().size();
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof GroupIdNotFoundException) {
                    return;
                }
                throw e;
            }
            if (members == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(applicationId + " still runs (" + members
                        + " members): stop its projectors first");
            }
            Thread.sleep(500);
        }
    }

    /**
     * Copies a changelog partition by partition, committed records only, into a new compacted topic.
     * A copy left by an interrupted switch is dropped first, so that the switch can be run again.
     */
    private static long copyChangelog(Admin admin, KafkaClientSettings kafka, String from, String to) throws Exception {
        var description = admin.describeTopics(List.of(from)).allTopicNames().get(30, TimeUnit.SECONDS).get(from);
        int partitions = description.partitions().size();
        short replication = (short) description.partitions().get(0).replicas().size();
        if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(to)) {
            admin.deleteTopics(List.of(to)).all().get(30, TimeUnit.SECONDS);
            while (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(to)) {
                Thread.sleep(100);
            }
        }
        admin.createTopics(List.of(new NewTopic(to, partitions, replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                .all().get(30, TimeUnit.SECONDS);
        long copied = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producer(Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all")), new ByteArraySerializer(), new ByteArraySerializer())) {
            List<TopicPartition> source = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                source.add(new TopicPartition(from, p));
            }
            consumer.assign(source);
            consumer.seekToBeginning(source);
            Map<TopicPartition, Long> end = consumer.endOffsets(source);
            while (source.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    // Same partition: a store's partition is its task's, which owns the same users.
                    producer.send(new ProducerRecord<>(to, record.partition(), record.key(), record.value()));
                    copied++;
                }
            }
            producer.flush();
        }
        return copied;
    }
}
