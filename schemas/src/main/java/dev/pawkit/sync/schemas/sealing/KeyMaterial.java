package dev.pawkit.sync.schemas.sealing;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.UUID;

/**
 * Making data keys and their stored form. A user's key is stored wrapped (encrypted) under the
 * master key, with the user and key id bound in, so a copy of the key topic opens nothing without
 * the master key, and a wrapped key cannot be passed off as another user's.
 */
public final class KeyMaterial {

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Aead master;

    /** @param master the key-encryption key: a KMS's AEAD in production, {@link #masterFromJson} locally */
    public KeyMaterial(Aead master) {
        this.master = master;
    }

    /** A new AES-256-GCM data key for the user, with a fresh id. */
    public UserKey generate(String userId) {
        try {
            KeysetHandle keyset = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            return new UserKey(userId, UUID.randomUUID().toString(), primitive(keyset));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("generating a data key failed", e);
        }
    }

    /** Generates a key and its wrapped form together (the only moment the keyset is at hand). */
    public Wrapped generateWrapped(String userId) {
        try {
            KeysetHandle keyset = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            String keyId = UUID.randomUUID().toString();
            byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(keyset, master,
                    associatedData(userId, keyId));
            return new Wrapped(new UserKey(userId, keyId, primitive(keyset)), wrapped);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("generating a data key failed", e);
        }
    }

    /** The key stored as {@code wrapped} for this user and key id. */
    public UserKey unwrap(String userId, String keyId, byte[] wrapped) {
        try {
            KeysetHandle keyset = TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, master,
                    associatedData(userId, keyId));
            return new UserKey(userId, keyId, primitive(keyset));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the stored key " + keyId + " of " + userId
                    + " does not unwrap under this master key", e);
        }
    }

    /** A new master key in Tink's JSON keyset form, for a local stack's data directory. */
    public static String newMasterJson() {
        try {
            return TinkJsonProtoKeysetFormat.serializeKeyset(
                    KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM), InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("generating a master key failed", e);
        }
    }

    /** The master key from Tink's JSON keyset form (a local stack's; production asks a KMS instead). */
    public static Aead masterFromJson(String json) {
        try {
            return primitive(TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a Tink AEAD keyset", e);
        }
    }

    private static Aead primitive(KeysetHandle keyset) throws GeneralSecurityException {
        return keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
    }

    private static byte[] associatedData(String userId, String keyId) {
        return ("pawkit-user-key-v1:" + userId + "\n" + keyId).getBytes(StandardCharsets.UTF_8);
    }

    /** A key and the bytes to store for it. */
    public record Wrapped(UserKey key, byte[] bytes) {
    }
}
