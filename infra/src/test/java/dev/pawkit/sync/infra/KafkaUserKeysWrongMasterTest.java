package dev.pawkit.sync.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pawkit.sync.schemas.sealing.KeyMaterial;
import dev.pawkit.sync.schemas.sealing.KeysUnavailableException;
import dev.pawkit.sync.schemas.sealing.UserKey;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Keys that do not unwrap under a process's master key. Before, the reader logged a warning and
 * went past them: a process given the wrong master key started and ran without its users' keys,
 * made each user a second key at their next write, and opened nothing sealed before. A broker of
 * its own: the key topic here holds a key that the other tests' processes could not read.
 */
class KafkaUserKeysWrongMasterTest {

    private static final String MASTER = KeyMaterial.newMasterJson();
    private static final String OTHER_MASTER = KeyMaterial.newMasterJson();
    private static EmbeddedKafkaKraftBroker broker;
    private static KafkaClientSettings kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.afterPropertiesSet();
        kafka = KafkaClientSettings.plaintext(broker.getBrokersAsString());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            TopicProvisioner.ensure(admin, PawkitTopics.definitions(3, (short) 1), 60_000);
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
    }

    @Test
    void aProcessWithAnotherMasterKeyRefusesToStartAndAKeyItCannotReadIsNeverSkipped() throws Exception {
        UserKey annsKey;
        try (KafkaUserKeys deployment = keysUnder(MASTER)) {
            annsKey = deployment.current("ann");
        }

        long readersBefore = readers();
        assertThatThrownBy(() -> keysUnder(OTHER_MASTER))
                .isInstanceOf(KeysUnavailableException.class)
                .hasMessageContaining("does not unwrap under this process's master key");
        assertThat(readers()).as("nothing left running").isEqualTo(readersBefore);

        try (KafkaUserKeys running = keysUnder(MASTER)) {
            // A key this process cannot read arrives while it runs (written under another master key).
            KeyMaterial.Wrapped foreign = new KeyMaterial(KeyMaterial.masterFromJson(OTHER_MASTER)).generateWrapped("bob");
            append("bob/" + foreign.key().keyId(), foreign.bytes());

            // Bob is not keyless here: his next write must not get a second key.
            assertThatThrownBy(() -> running.current("bob")).isInstanceOf(KeysUnavailableException.class)
                    .hasMessageContaining("does not unwrap");
            assertThatThrownBy(() -> running.current("bob")).as("asked again: still not skipped")
                    .isInstanceOf(KeysUnavailableException.class);
            assertThat(running.known("ann")).as("the keys read before stay").isTrue();
            assertThat(running.find("ann", annsKey.keyId())).isPresent();
        }
    }

    private static KafkaUserKeys keysUnder(String masterJson) {
        return new KafkaUserKeys(kafka, new KeyMaterial(KeyMaterial.masterFromJson(masterJson)));
    }

    private static void append(String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(PawkitTopics.USER_KEYS, key, value)).get();
        }
    }

    private static long readers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("pawkit-user-keys") && thread.isAlive()).count();
    }
}
