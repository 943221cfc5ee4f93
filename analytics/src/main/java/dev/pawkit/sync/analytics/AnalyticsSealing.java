package dev.pawkit.sync.analytics;

import dev.pawkit.sync.analytics.counting.CardFacts;
import dev.pawkit.sync.analytics.counting.UserCounts;
import dev.pawkit.sync.schemas.sealing.ContentSealer;
import dev.pawkit.sync.schemas.sealing.Sealed;
import dev.pawkit.sync.schemas.sealing.UserKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals what analytics keeps of a user (each card's facts, the user's counters) under the user's
 * key before it goes into a store, and so into its changelog, and opens it again. Once the user's
 * keys are destroyed it opens to nothing: the user's numbers and card facts are gone, though their
 * bytes stay until overwritten or compacted.
 *
 * <p>A stored value that does not open (sealed under a destroyed key, tampered, or in a format
 * this version does not know, such as the clear values of before sealing) reads as nothing rather
 * than failing the stream task: a value that never opens would otherwise stop analytics for good.
 * A key store that cannot be reached is different (the key may well exist): that error is thrown,
 * so that the task retries from its last commit instead of counting the user from nothing.
 */
final class AnalyticsSealing {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsSealing.class);
    /** Stored form: this byte, the key id, the ciphertext. Format 1 was the clear card facts. */
    private static final byte SEALED = 2;

    private final ContentSealer sealer;
    private final Serde<CardFacts> facts = AnalyticsSerdes.facts();
    private final Serde<UserCounts> counts = AnalyticsSerdes.counts();

    AnalyticsSealing(UserKeys keys) {
        this.sealer = new ContentSealer(keys);
    }

    byte[] sealFacts(String userId, CardFacts clear) {
        return sealed(userId, facts.serializer().serialize(null, clear));
    }

    /** The card's facts, or empty when there are none or they do not open. */
    Optional<CardFacts> openFacts(String userId, byte[] stored) {
        return opened(userId, stored)
                .flatMap(clear -> parsed(userId, () -> facts.deserializer().deserialize(null, clear)));
    }

    byte[] sealCounts(String userId, UserCounts clear) {
        return sealed(userId, counts.serializer().serialize(null, clear));
    }

    /** The user's counters, or empty when there are none or they do not open (the user was erased). */
    Optional<UserCounts> openCounts(String userId, byte[] stored) {
        return opened(userId, stored)
                .flatMap(clear -> parsed(userId, () -> counts.deserializer().deserialize(null, clear)));
    }

    private byte[] sealed(String userId, byte[] plaintext) {
        Sealed sealed = sealer.seal(userId, plaintext);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(SEALED);
            out.writeUTF(sealed.keyId());
            out.write(sealed.ciphertext());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private Optional<byte[]> opened(String userId, byte[] stored) {
        if (stored == null) {
            return Optional.empty();
        }
        Sealed sealed;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored))) {
            byte format = in.readByte();
            if (format != SEALED) {
                log.warn("an analytics value of user {} is in format {}, not sealed: ignored (reset analytics"
                        + " after an upgrade)", userId, format);
                return Optional.empty();
            }
            sealed = new Sealed(in.readUTF(), in.readAllBytes());
        } catch (IOException e) {
            log.warn("an analytics value of user {} is truncated: ignored", userId);
            return Optional.empty();
        }
        try {
            return sealer.open(userId, sealed);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof GeneralSecurityException) {
                log.warn("an analytics value of user {} does not open under key {}: tampered or misplaced, ignored",
                        userId, sealed.keyId());
                return Optional.empty();
            }
            throw e;
        }
    }

    private static <T> Optional<T> parsed(String userId, Supplier<T> parse) {
        try {
            return Optional.of(parse.get());
        } catch (IllegalArgumentException | UncheckedIOException e) {
            log.warn("an analytics value of user {} opened but does not parse ({}): ignored", userId, e.toString());
            return Optional.empty();
        }
    }
}
