package dev.pawkit.sync.bench;

import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.infra.CommandLog;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.KafkaUserKeys;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.sealing.KeyMaterial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Note cards created by writing their commands straight to a running stack's command topic, as its
 * API appends them (sealed under each user's key in the stack's key topic, with the stack's master
 * key), then waited for until the stack's projector has decided them all. For sizes the API cannot
 * load in reasonable time on a shared 2-core machine (74 to 250 cards/s through the API: 1,000,000
 * cards would take hours); what the projector, its stores and changelogs hold afterwards is the same
 * as after the API's creates.
 */
final class DirectLoad {

    /** The stack's projector: its consumer group, whose committed offsets say what it decided. */
    private static final String PROJECTOR_GROUP = "pawkit-projector";

    private DirectLoad() {
    }

    /**
     * {@code cards} creates over {@code users} users ({@code user-0} …), appended with acks=all; returns
     * once the projector's committed offsets reach the end of the command topic.
     *
     * @param masterKeyFile the stack's master key ({@code <data>/master-key.json} of a local stack)
     * @param partitions the stack's partition count ({@code pawkit.kafka.partitions})
     */
    static void createNotes(String bootstrap, Path masterKeyFile, int partitions, long cards, int users,
            String run) throws Exception {
        KeyMaterial material = new KeyMaterial(KeyMaterial.masterFromJson(Files.readString(masterKeyFile)));
        AtomicLong failed = new AtomicLong();
        try (KafkaUserKeys keys = new KafkaUserKeys(KafkaClientSettings.plaintext(bootstrap), material);
                Producer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer())) {
            CommandLog log = new CommandLog(producer, partitions, PawkitSerdes.sealedWith(keys));
            for (long i = 0; i < cards; i++) {
                String user = "user-" + (i % users);
                CardCommand create = new CardCommand.CreateCard(UUID.randomUUID().toString(), new CardFields(
                        CardType.MD_NOTE, null, "recovery card " + run + "-" + i, null, null, List.of(), List.of(),
                        false, null));
                log.append(CommandLog.envelope(UUID.randomUUID().toString(),
                        CommandLog.Origin.user(user, run + "-" + i, "bench-direct-load", "POST /api/cards"), create))
                        .whenComplete((ok, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                            }
                        });
                if (i % 100_000 == 99_999) {
                    System.out.printf("  %,d commands appended%n", i + 1);
                }
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " command appends failed");
        }
        awaitDecided(bootstrap, partitions);
    }

    /** Until the projector group's committed offsets reach the command topic's end, reporting progress. */
    private static void awaitDecided(String bootstrap, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(PawkitTopics.CARD_COMMANDS, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((p, info) -> end.put(p, info.offset()));
            long lastReport = 0;
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(PROJECTOR_GROUP)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                long behind = 0;
                for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
                    OffsetAndMetadata at = committed.get(partition.getKey());
                    behind += Math.max(0, partition.getValue() - (at == null ? 0 : at.offset()));
                }
                if (behind == 0) {
                    return;
                }
                if (System.nanoTime() - lastReport > Duration.ofSeconds(30).toNanos()) {
                    System.out.printf("  the projector has %,d commands to decide%n", behind);
                    lastReport = System.nanoTime();
                }
                Thread.sleep(500);
            }
        }
    }
}
