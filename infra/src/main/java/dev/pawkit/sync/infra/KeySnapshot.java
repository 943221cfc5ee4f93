package dev.pawkit.sync.infra;

import dev.pawkit.sync.schemas.sealing.KeyMaterial;
import dev.pawkit.sync.schemas.sealing.UserKey;
import dev.pawkit.sync.schemas.sealing.UserKeys;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@link KafkaUserKeys#snapshot}: the key topic read on demand, for reading sealed data only. */
final class KeySnapshot implements UserKeys {

    private final KafkaClientSettings kafka;
    private final KeyMaterial material;
    private final Map<String, Map<String, UserKey>> keys = new ConcurrentHashMap<>();

    KeySnapshot(KafkaClientSettings kafka, KeyMaterial material) {
        this.kafka = kafka;
        this.material = material;
    }

    @Override
    public UserKey current(String userId) {
        throw new UnsupportedOperationException("a snapshot of the keys only reads");
    }

    @Override
    public synchronized Optional<UserKey> find(String userId, String keyId) {
        Optional<UserKey> known = Optional.ofNullable(keys.getOrDefault(userId, Map.of()).get(keyId));
        if (known.isPresent()) {
            return known;
        }
        // Unknown (or never read): a key made since the last read, or one destroyed; the topic says which.
        keys.clear();
        KafkaUserKeys.readAll(kafka, material, keys);
        return Optional.ofNullable(keys.getOrDefault(userId, Map.of()).get(keyId));
    }

    @Override
    public synchronized boolean known(String userId) {
        return !keys.getOrDefault(userId, Map.of()).isEmpty();
    }

    @Override
    public synchronized Set<String> keyIds(String userId) {
        keys.clear();
        KafkaUserKeys.readAll(kafka, material, keys);
        return Set.copyOf(keys.getOrDefault(userId, Map.of()).keySet());
    }

    @Override
    public void destroy(String userId) {
        throw new UnsupportedOperationException("a snapshot of the keys only reads");
    }
}
