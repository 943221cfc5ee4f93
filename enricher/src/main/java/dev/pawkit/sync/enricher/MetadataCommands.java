package dev.pawkit.sync.enricher;

import dev.pawkit.sync.domain.CardCommand.ApplyMetadata;
import dev.pawkit.sync.domain.CardRules;
import dev.pawkit.sync.enricher.fetch.FetchOutcome;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.infra.CommandLog;
import java.time.Instant;

/**
 * The command that answers a {@link FetchRequest}: ApplyMetadata for the owner's card, sent by the
 * enricher on the owner's behalf. Its fingerprint names the request it answers, not what was
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
    public static CommandEnvelope answer(FetchRequest request, FetchOutcome outcome, Instant fetchedAt,
            String commandId) {
        ApplyMetadata command = outcome instanceof FetchOutcome.Fetched fetched
                ? new ApplyMetadata(request.cardId(), request.forVersion(), fetched.page(), null, fetchedAt)
                : new ApplyMetadata(request.cardId(), request.forVersion(), null,
                        reason(((FetchOutcome.Failed) outcome).reason()), fetchedAt);
        return CommandLog.envelope(commandId,
                new CommandLog.Origin(request.userId(), ACTOR, request.idempotencyKey(), null, ACTOR), command);
    }

    static String reason(String reason) {
        return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 1) + "\u2026";
    }
}
