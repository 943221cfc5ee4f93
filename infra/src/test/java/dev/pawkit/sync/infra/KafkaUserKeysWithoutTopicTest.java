package dev.pawkit.sync.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pawkit.sync.schemas.sealing.KeyMaterial;
import dev.pawkit.sync.schemas.sealing.KeysUnavailableException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key store started on a broker without the key topic (not provisioned yet, or the wrong
 * cluster) fails at once and leaves nothing behind: before, its reader thread was left failing
 * and logging on every turn of its loop for the life of the process.
 */
class KafkaUserKeysWithoutTopicTest {

    private static LocalKafkaBroker broker;
    @TempDir
    static Path logDir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = LocalKafkaBroker.start(logDir, FreePorts.pick());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void withoutTheKeyTopicItFailsAndLeavesNoReaderRunning() {
        long readersBefore = readers();

        assertThatThrownBy(() -> new KafkaUserKeys(KafkaClientSettings.plaintext(broker.bootstrapServers()),
                new KeyMaterial(KeyMaterial.masterFromJson(KeyMaterial.newMasterJson()))))
                .isInstanceOf(KeysUnavailableException.class);

        assertThat(readers()).isEqualTo(readersBefore);
    }

    private static long readers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().equals("pawkit-user-keys")).count();
    }
}
