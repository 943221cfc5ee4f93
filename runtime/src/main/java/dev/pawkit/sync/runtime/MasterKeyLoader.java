package dev.pawkit.sync.runtime;

import com.google.crypto.tink.Aead;
import dev.pawkit.sync.schemas.sealing.KeyMaterial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master key (key-encryption key) that wraps every user's data key: given inline
 * ({@code pawkit.encryption.master-key}, a Tink JSON keyset, say from a secret store), or read from
 * a file ({@code pawkit.encryption.master-key-file}, by default {@code <data>/master-key.json}),
 * which a local stack creates at its first start. Losing it loses every user's content: back it up
 * apart from the topics (a copy of the topics without it opens nothing).
 */
public final class MasterKeyLoader {

    private static final Logger log = LoggerFactory.getLogger(MasterKeyLoader.class);

    private MasterKeyLoader() {
    }

    public static Aead load(PawkitProperties.Encryption encryption, Path dataDir) {
        if (encryption.masterKey() != null && !encryption.masterKey().isBlank()) {
            return KeyMaterial.masterFromJson(encryption.masterKey());
        }
        Path file = encryption.masterKeyFile() != null ? encryption.masterKeyFile()
                : dataDir.resolve("master-key.json");
        try {
            if (!Files.exists(file) && encryption.createMasterKey()) {
                create(file);
            }
            return KeyMaterial.masterFromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the master key " + file
                    + " (set pawkit.encryption.master-key or pawkit.encryption.master-key-file)", e);
        }
    }

    private static void create(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            return;
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, KeyMaterial.newMasterJson(), StandardCharsets.UTF_8);
        log.info("created a new master key at {}: back it up; without it no user's content can be read", file);
    }
}
