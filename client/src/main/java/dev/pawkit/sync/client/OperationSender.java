package dev.pawkit.sync.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Sends one operation, with its stored idempotency key, and tells what came of it. A 202 is
 * followed to the command's status until decided; a lost connection or a timeout is transient
 * (the key makes the retry safe); a server that cannot be reached at all is "offline".
 */
final class OperationSender {

    private static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

    private final CardApi api;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration pollTimeout;

    OperationSender(CardApi api, Clock clock, Sleeper sleeper, Duration pollTimeout) {
        this.api = api;
        this.clock = clock;
        this.sleeper = sleeper;
        this.pollTimeout = pollTimeout;
    }

    SendResult send(Operation op) {
        try {
            return decided(op.kind(), ResponseClassifier.classify(op.kind(), request(op), clock.instant()));
        } catch (IOException | InterruptedException | RuntimeException e) {
            return failure(e);
        }
    }

    /** A batch member's answer, acted on as its single request's: a 202 is followed to its decision. */
    SendResult decide(OperationKind kind, SendResult result) {
        try {
            return decided(kind, result);
        } catch (IOException | InterruptedException | RuntimeException e) {
            return failure(e);
        }
    }

    /** What a request that got no answer came to, for a single request or a whole batch alike. */
    static SendResult failure(Exception e) {
        if (e instanceof ConnectException || e instanceof HttpConnectTimeoutException) {
            // Refused or no connection made: the request never left, so this costs no retry.
            return new SendResult.Offline("server unreachable: " + describe(e));
        }
        if (e instanceof HttpTimeoutException) {
            return new SendResult.Transient("no answer in time: " + describe(e), null);
        }
        if (e instanceof IOException) {
            // Sent, but the answer was lost: it may have applied; the same key makes the retry safe.
            return new SendResult.Transient("connection lost: " + describe(e), null);
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new SendResult.Transient("interrupted", null);
        }
        // E.g. no token or an unreadable answer: counted like any failure, so it cannot loop forever.
        return new SendResult.Transient("client error: " + describe(e), null);
    }

    private SendResult decided(OperationKind kind, SendResult result) throws IOException, InterruptedException {
        return result instanceof SendResult.Accepted accepted ? awaitDecision(kind, accepted) : result;
    }

    private ApiResponse request(Operation op) throws IOException, InterruptedException {
        return switch (op.kind()) {
            case CREATE -> api.create(op.cardId(), op.fields(), op.idempotencyKey());
            case UPDATE -> api.update(op.cardId(), op.patch(), op.baseVersion(), op.idempotencyKey());
            case DELETE -> api.delete(op.cardId(), op.baseVersion(), op.idempotencyKey());
            case REFRESH_METADATA -> api.refreshMetadata(op.cardId(), op.idempotencyKey());
        };
    }

    /** Polls the command's status URL; it answers with the write's own response once decided. */
    private SendResult awaitDecision(OperationKind kind, SendResult.Accepted accepted)
            throws IOException, InterruptedException {
        Instant deadline = clock.instant().plus(pollTimeout);
        SendResult.Accepted pending = accepted;
        boolean first = true;
        while (true) {
            if (!first) {
                if (!clock.instant().isBefore(deadline)) {
                    // Still undecided: sending again with the same key waits for, or replays, the same decision.
                    return new SendResult.Transient("not decided within " + pollTimeout, null);
                }
                sleeper.sleep(pending.retryAfter() == null ? DEFAULT_POLL_INTERVAL : pending.retryAfter());
            }
            first = false;
            ApiResponse status = api.get(pending.location());
            if (status.status() == 404) {
                // The decision is not known there (expired, or another instance lost it): send again.
                return new SendResult.Transient("command status not found", null);
            }
            SendResult result = ResponseClassifier.classify(kind, status, clock.instant());
            if (!(result instanceof SendResult.Accepted next)) {
                return result;
            }
            pending = next;
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + " " + e.getMessage();
    }
}
