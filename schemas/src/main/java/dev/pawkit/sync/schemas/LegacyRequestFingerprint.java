package dev.pawkit.sync.schemas;

import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.schemas.avro.CardCommandRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;

/**
 * The request fingerprint as versions before schema v5 computed it: a hash of the request line and
 * of the command's single-object encoding under command schema v4, with an empty envelope. Sent
 * beside the current {@link dev.pawkit.sync.domain.log.RequestFingerprint} so that a retry whose
 * first attempt an older version decided (before the deploy, or by an instance not yet upgraded)
 * is still a replay. Remove it, and the field, once no key older than that deploy can be live
 * (the key time to live after the last instance of a version before v5 stopped).
 */
public final class LegacyRequestFingerprint {

    private static final Schema V4 = PublishedSchemas.versions().get(4).get(CardCommandRecord.getClassSchema().getFullName());
    private static final BinaryMessageEncoder<CardCommandRecord> ENCODER =
            new BinaryMessageEncoder<>(SpecificData.getForClass(CardCommandRecord.class), V4);

    private LegacyRequestFingerprint() {
    }

    /** @param request method and path, as in {@code POST /api/cards} */
    public static String of(String request, CardCommand command) {
        if (command instanceof CardCommand.EraseUser) {
            return null; // v7 and later only: it has no earlier form.
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((request + "\n").getBytes(StandardCharsets.UTF_8));
            // v4 has every field of v5 but the last: the record is written by position, fields 0..8.
            ByteBuffer bytes = ENCODER.encode(CommandMapper.toRecord(
                    new CommandEnvelope("", "", "", null, null, null, command)));
            sha.update(bytes);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
