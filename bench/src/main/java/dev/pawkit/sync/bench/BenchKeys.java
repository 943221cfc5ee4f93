package dev.pawkit.sync.bench;

import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.KafkaUserKeys;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.sealing.KeyMaterial;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The system's serdes for a benchmark's own broker: users' keys in its key topic under a master
 * key made for the run, so the benchmark pays for sealing as the system does. One per broker for
 * the life of the benchmark process (its reader thread is a daemon and ends with it).
 */
final class BenchKeys {

    private static final KeyMaterial MATERIAL = new KeyMaterial(KeyMaterial.masterFromJson(KeyMaterial.newMasterJson()));
    private static final Map<String, PawkitSerdes> SERDES = new ConcurrentHashMap<>();

    private BenchKeys() {
    }

    static PawkitSerdes serdes(String bootstrapServers) {
        return SERDES.computeIfAbsent(bootstrapServers, servers -> PawkitSerdes.sealedWith(
                new KafkaUserKeys(KafkaClientSettings.plaintext(servers), MATERIAL)));
    }
}
