package dev.pawkit.sync.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.schemas.sealing.ContentSealer;
import dev.pawkit.sync.schemas.sealing.KeyMaterial;
import dev.pawkit.sync.schemas.sealing.Sealed;
import dev.pawkit.sync.schemas.sealing.UserKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users' keys in the compacted key topic of a real broker, as two processes see them. */
class KafkaUserKeysTest {

    private static final String MASTER = KeyMaterial.newMasterJson();
    private static LocalKafkaBroker broker;
    @TempDir
    static Path logDir;
    private static KafkaClientSettings kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = LocalKafkaBroker.start(logDir, FreePorts.pick());
        kafka = KafkaClientSettings.plaintext(broker.bootstrapServers());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicProvisioner.ensure(admin, PawkitTopics.definitions(3, (short) 1), 60_000);
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static KafkaUserKeys process() {
        return new KafkaUserKeys(kafka, new KeyMaterial(KeyMaterial.masterFromJson(MASTER)));
    }

    @Test
    void aKeyMadeByOneProcessOpensInAnotherAndIsStoredOnlyWrapped() {
        try (KafkaUserKeys first = process(); KafkaUserKeys second = process()) {
            Sealed sealed = new ContentSealer(first).seal("ann", "marker-ann".getBytes(StandardCharsets.UTF_8));

            assertThat(new ContentSealer(second).open("ann", sealed))
                    .hasValueSatisfying(bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("marker-ann"));
            UserKey key = first.current("ann");
            assertThat(key.keyId()).isEqualTo(sealed.keyId());
            assertThat(records()).filteredOn(r -> r.key().equals("ann/" + key.keyId())).singleElement()
                    .satisfies(r -> assertThat(r.value()).isNotNull());
        }
    }

    @Test
    void destroyedKeysAreTombstonedAndForgottenByEveryProcessWhileOtherUsersKeepTheirs() {
        try (KafkaUserKeys first = process(); KafkaUserKeys second = process()) {
            ContentSealer sealer = new ContentSealer(first);
            Sealed bens = sealer.seal("ben", "ben".getBytes(StandardCharsets.UTF_8));
            Sealed cats = sealer.seal("cat", "cat".getBytes(StandardCharsets.UTF_8));
            assertThat(new ContentSealer(second).open("ben", bens)).isPresent();

            first.destroy("ben");
            first.destroy("ben");

            assertThat(sealer.open("ben", bens)).isEmpty();
            try (KafkaUserKeys later = process()) {
                assertThat(new ContentSealer(later).open("ben", bens)).as("a process started after").isEmpty();
                assertThat(new ContentSealer(later).open("cat", cats)).isPresent();
            }
            assertThat(records()).filteredOn(r -> r.key().equals("ben/" + bens.keyId()))
                    .extracting(ConsumerRecord::value).last().isNull();
            // The second process learns of it from the tombstone (its reader, not a cache expiry).
            assertThat(new ContentSealer(second).open("ben", bens)).isEmpty();
            assertThat(second.current("ben").keyId()).as("a write after erasure starts from nothing")
                    .isNotEqualTo(bens.keyId());
        }
    }

    private static List<ConsumerRecord<String, byte[]>> records() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(PawkitTopics.USER_KEYS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
            return all;
        }
    }
}
