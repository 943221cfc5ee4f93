package dev.pawkit.sync.schemas.sealing;

import java.util.Optional;

/**
 * Where users' data keys live. Kafka's compacted {@code pawkit.user-keys} topic in this system
 * ({@code infra.KafkaUserKeys}); a production key management service can implement the same three
 * operations.
 */
public interface UserKeys {

    /** The key to seal the user's new content under; made (and stored durably) at their first write. */
    UserKey current(String userId);

    /**
     * The key a sealed value names; empty once the user's keys were destroyed (or for a key that
     * never existed): what was sealed under it can no longer be opened.
     */
    Optional<UserKey> find(String userId, String keyId);

    /** Destroys every key of the user. Idempotent; a later write of the user makes a new key. */
    void destroy(String userId);
}
