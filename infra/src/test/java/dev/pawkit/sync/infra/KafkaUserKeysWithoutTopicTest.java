package dev.pawkit.sync.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pawkit.sync.schemas.sealing.KeyMaterial;
import dev.pawkit.sync.schemas.sealing.KeysUnavailableException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A key store started on a broker without the key topic (not provisioned yet, or the wrong
 * cluster) fails at once and leaves nothing behind: before, its reader thread was left failing
 * and logging on every turn of its loop for the life of the process.
 */
class KafkaUserKeysWithoutTopicTest {

    private static EmbeddedKafkaKraftBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(Map.of("auto.create.topics.enable", "false"));
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
    }

    @Test
    void withoutTheKeyTopicItFailsAndLeavesNoReaderRunning() {
        long readersBefore = readers();

        assertThatThrownBy(() -> new KafkaUserKeys(KafkaClientSettings.plaintext(broker.getBrokersAsString()),
                new KeyMaterial(KeyMaterial.masterFromJson(KeyMaterial.newMasterJson()))))
                .isInstanceOf(KeysUnavailableException.class);

        assertThat(readers()).isEqualTo(readersBefore);
    }

    private static long readers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().equals("pawkit-user-keys")).count();
    }
}
