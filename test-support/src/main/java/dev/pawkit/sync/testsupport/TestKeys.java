package dev.pawkit.sync.testsupport;

import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.KafkaUserKeys;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.sealing.InMemoryUserKeys;
import dev.pawkit.sync.schemas.sealing.KeyMaterial;
import java.util.Map;

/**
 * The master key of every application the tests start in this JVM ({@link EmbeddedApplication}
 * passes it as {@code pawkit.encryption.master-key}), and serdes that open what they sealed, as an
 * auditor holding the master key would.
 */
public final class TestKeys {

    /** One per test JVM. */
    public static final String MASTER_KEY = KeyMaterial.newMasterJson();

    private TestKeys() {
    }

    /** Serdes reading with the users' keys the broker holds now (read once; they make no keys). */
    public static PawkitSerdes reading(Map<String, Object> clientSettings) {
        return PawkitSerdes.sealedWith(KafkaUserKeys.snapshot(KafkaClientSettings.of(clientSettings),
                new KeyMaterial(KeyMaterial.masterFromJson(MASTER_KEY))));
    }

    /** The users' keys on the broker, under this JVM's master key, as an application holds them (close it). */
    public static KafkaUserKeys userKeys(String bootstrapServers) {
        return new KafkaUserKeys(KafkaClientSettings.plaintext(bootstrapServers),
                new KeyMaterial(KeyMaterial.masterFromJson(MASTER_KEY)));
    }

    /** Serdes with keys of this process only: for topology tests, which have no key topic. */
    public static PawkitSerdes inMemory() {
        return PawkitSerdes.sealedWith(new InMemoryUserKeys());
    }
}
