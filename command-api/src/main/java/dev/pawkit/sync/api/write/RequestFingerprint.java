package dev.pawkit.sync.api.write;

import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.schemas.CommandMapper;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.SingleObjectSerde;
import dev.pawkit.sync.schemas.avro.CardCommandRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Identifies "the same request" for idempotency: method, path and what the body means (the parsed
 * command, expected version included), hashed. Whitespace or key order in the JSON does not make
 * another request; another field value, version or If-Match does.
 */
final class RequestFingerprint {

    private static final SingleObjectSerde<CardCommandRecord> COMMANDS = PawkitSerdes.commands();
    private static final CommandMapper.Envelope NO_ENVELOPE = new CommandMapper.Envelope("", "", null, null, null);

    private RequestFingerprint() {
    }

    static String of(String method, String path, CardCommand command) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(COMMANDS.serialize("", CommandMapper.toRecord(NO_ENVELOPE, command)));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
