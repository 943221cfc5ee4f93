package dev.pawkit.sync.schemas.sealing;

import java.util.Optional;
import java.util.Set;

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

    /**
     * The ids of every key the user has, the store read to its end first: what erasing the user
     * must destroy. Empty for a user who never wrote, or whose keys were destroyed.
     */
    Set<String> keyIds(String userId);

    /**
     * Whether this process knows a key of the user right now, without reading the store: false once
     * it has read their keys' destruction. Cheap, for checks made often (the enricher, per fetch).
     */
    boolean known(String userId);

    /** Destroys every key of the user. Idempotent; a later write of the user makes a new key. */
    void destroy(String userId);
}
