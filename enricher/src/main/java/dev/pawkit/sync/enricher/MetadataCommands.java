package dev.pawkit.sync.enricher;

import dev.pawkit.sync.domain.CardCommand.ApplyMetadata;
import dev.pawkit.sync.domain.CardRules;
import dev.pawkit.sync.enricher.fetch.FetchOutcome;
import dev.pawkit.sync.schemas.CommandMapper;
import dev.pawkit.sync.schemas.avro.CardCommandRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The command that answers a {@link FetchRequest}: ApplyMetadata for the owner's card, sent by the
 * enricher on the owner's behalf. Its fingerprint depends on the key alone, not on what was
 * fetched: a page that changed between two answers to the same request still makes the second a
 * replay of the first, not a reused key.
 */
public final class MetadataCommands {

    /** Who sends these commands, as events and history show it. */
    public static final String ACTOR = "pawkit-enricher";
    /** Failure reasons are ours and short; bounded anyway, as they are shown to users. */
    static final int MAX_REASON = CardRules.MAX_FAILURE_REASON;

    private MetadataCommands() {
    }

    /** @param outcome {@link FetchOutcome.Fetched} or {@link FetchOutcome.Failed} */
    public static CardCommandRecord answer(FetchRequest request, FetchOutcome outcome, Instant fetchedAt,
            String commandId) {
        ApplyMetadata command = outcome instanceof FetchOutcome.Fetched fetched
                ? new ApplyMetadata(request.cardId(), request.forVersion(), fetched.page(), null, fetchedAt)
                : new ApplyMetadata(request.cardId(), request.forVersion(), null,
                        reason(((FetchOutcome.Failed) outcome).reason()), fetchedAt);
        String key = request.idempotencyKey();
        return CommandMapper.toRecord(
                new CommandMapper.Envelope(commandId, request.userId(), key, fingerprint(key), null, ACTOR), command);
    }

    public static String fingerprint(String idempotencyKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(
                    sha.digest((ACTOR + "\n" + idempotencyKey).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    static String reason(String reason) {
        return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 1) + "\u2026";
    }
}
