package dev.pawkit.sync.schemas.sealing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * Seals a user's personal content under their current key and opens it again while the key
 * exists. Once the user's keys are destroyed, {@link #open} answers empty: the content is gone for
 * every reader, whoever holds the bytes.
 */
public final class ContentSealer {

    private static final String CONTEXT = "pawkit-sealed-v1:";

    private final UserKeys keys;

    public ContentSealer(UserKeys keys) {
        this.keys = keys;
    }

    /** The keys sealed under: the store that erasing a user destroys keys in. */
    public UserKeys keys() {
        return keys;
    }

    public Sealed seal(String userId, byte[] plaintext) {
        UserKey key = keys.current(userId);
        try {
            return new Sealed(key.keyId(), key.aead().encrypt(plaintext, associatedData(userId)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing content of " + userId + " failed", e);
        }
    }

    /**
     * The plaintext, or empty when the key it names is destroyed. Bytes that do not open under a key
     * that exists (tampered, or another user's) are an error, never silently empty.
     */
    public Optional<byte[]> open(String userId, Sealed sealed) {
        Optional<UserKey> key = keys.find(userId, sealed.keyId());
        if (key.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(key.get().aead().decrypt(sealed.ciphertext(), associatedData(userId)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("content of " + userId + " under key " + sealed.keyId()
                    + " does not open: tampered or misplaced", e);
        }
    }

    private static byte[] associatedData(String userId) {
        return (CONTEXT + userId).getBytes(StandardCharsets.UTF_8);
    }
}
