package dev.pawkit.sync.schemas.sealing;

import com.google.crypto.tink.Aead;

/**
 * One data key of one user: what their content is sealed under. A user may have more than one (two
 * API instances that met the user's first write at once each made one); every sealed value names
 * the key it was sealed under.
 *
 * @param keyId names the key in sealed values and in the key store
 */
public record UserKey(String userId, String keyId, Aead aead) {
}
