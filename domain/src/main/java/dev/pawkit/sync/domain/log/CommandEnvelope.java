package dev.pawkit.sync.domain.log;

import dev.pawkit.sync.domain.CardCommand;

/**
 * A command as the command log carries it: what is asked ({@code command}), for whose cards
 * ({@code userId}), who asks (the user, or a system component acting for them: {@code actor}),
 * under which idempotency key and request {@code fingerprint} (which tells a replay from a reused
 * key), from which client. Its time is the log record's timestamp, not a field.
 *
 * @param legacyFingerprint the same request's fingerprint as versions before {@link RequestFingerprint}
 *     computed it, or null: a retry that spans that deploy is still a replay
 */
public record CommandEnvelope(String commandId, String userId, String actor, String idempotencyKey,
        String fingerprint, String legacyFingerprint, String clientId, CardCommand command) {

    /** A command with no earlier form of its fingerprint. */
    public CommandEnvelope(String commandId, String userId, String actor, String idempotencyKey, String fingerprint,
            String clientId, CardCommand command) {
        this(commandId, userId, actor, idempotencyKey, fingerprint, null, clientId, command);
    }

    public String cardId() {
        return command.cardId();
    }
}
