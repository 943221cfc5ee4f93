package dev.pawkit.sync.schemas.sealing;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Users' keys in this process only: for tests and tools whose sealed data does not outlive them.
 * Everything sealed under it is lost with the process, by design.
 */
public final class InMemoryUserKeys implements UserKeys {

    private final KeyMaterial material = new KeyMaterial(KeyMaterial.masterFromJson(KeyMaterial.newMasterJson()));
    private final Map<String, UserKey> current = new ConcurrentHashMap<>();
    private final Map<String, UserKey> byId = new ConcurrentHashMap<>();

    @Override
    public UserKey current(String userId) {
        return current.computeIfAbsent(userId, user -> {
            UserKey key = material.generate(user);
            byId.put(key.keyId(), key);
            return key;
        });
    }

    @Override
    public Optional<UserKey> find(String userId, String keyId) {
        return Optional.ofNullable(byId.get(keyId)).filter(key -> key.userId().equals(userId));
    }

    @Override
    public boolean known(String userId) {
        return byId.values().stream().anyMatch(key -> key.userId().equals(userId));
    }

    @Override
    public Set<String> keyIds(String userId) {
        return byId.values().stream().filter(key -> key.userId().equals(userId)).map(UserKey::keyId)
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void destroy(String userId) {
        current.remove(userId);
        byId.values().removeIf(key -> key.userId().equals(userId));
    }
}
