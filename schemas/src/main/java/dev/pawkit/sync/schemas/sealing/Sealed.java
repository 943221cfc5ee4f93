package dev.pawkit.sync.schemas.sealing;

import java.util.Arrays;

/**
 * Content sealed under one of its owner's keys: AES-256-GCM (Tink's AEAD, whose ciphertext carries
 * its nonce and tag), the owner's id bound in as associated data so that sealed bytes moved to
 * another user's record do not open.
 *
 * @param keyId the {@link UserKey} it was sealed under
 */
public record Sealed(String keyId, byte[] ciphertext) {

    @Override
    public boolean equals(Object other) {
        return other instanceof Sealed sealed && sealed.keyId.equals(keyId)
                && Arrays.equals(sealed.ciphertext, ciphertext);
    }

    @Override
    public int hashCode() {
        return 31 * keyId.hashCode() + Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "Sealed[keyId=" + keyId + ", " + ciphertext.length + " bytes]";
    }
}
