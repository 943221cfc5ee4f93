package dev.pawkit.sync.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.DoubleSupplier;

/**
 * Writes what a send came to into the store, one transaction each: an applied operation leaves
 * the queue and its card's later operations move onto the new version; a transient failure is
 * scheduled again after a jittered backoff (or the server's {@code Retry-After}) until the retries
 * are used up; a permanent one is failed at once; a version conflict goes to the resolver.
 */
final class ResultRecorder {

    private final LocalStore store;
    private final RetryPolicy retryPolicy;
    private final Clock clock;
    private final DoubleSupplier random;
    private final ConflictResolver resolver;
    private final SyncListener listener;

    ResultRecorder(LocalStore store, RetryPolicy retryPolicy, Clock clock, DoubleSupplier random,
            ConflictResolver resolver, SyncListener listener) {
        this.store = store;
        this.retryPolicy = retryPolicy;
        this.clock = clock;
        this.random = random;
        this.resolver = resolver;
        this.listener = listener;
    }

    void record(Operation op, SendResult result) {
        if (result instanceof SendResult.Applied applied) {
            store.write(t -> {
                t.cards().upsert(applied.card());
                t.operations().delete(op.seq());
                t.operations().rebase(op.cardId(), op.seq(), applied.card().version());
                return null;
            });
        } else if (result instanceof SendResult.Deleted deleted) {
            store.write(t -> {
                t.cards().markDeleted(op.cardId(), deleted.version());
                t.operations().delete(op.seq());
                return null;
            });
        } else if (result instanceof SendResult.Transient failure) {
            recordTransient(op, failure);
        } else if (result instanceof SendResult.Permanent failure) {
            store.write(t -> {
                t.operations().markFailed(op.seq(), op.attempts() + 1, failure.error());
                return null;
            });
        } else if (result instanceof SendResult.Offline offline) {
            store.write(t -> {
                t.operations().noteError(op.seq(), offline.error());
                // Refused before anything was sent: the operation may take later changes again.
                t.operations().markUnsent(op.seq());
                return null;
            });
        } else if (result instanceof SendResult.VersionConflict conflict) {
            recordConflict(op, conflict.current());
        } else {
            throw new IllegalStateException("unexpected send result " + result);
        }
    }

    private void recordTransient(Operation op, SendResult.Transient failure) {
        int attempts = op.attempts() + 1;
        store.write(t -> {
            if (attempts > retryPolicy.maxRetries()) {
                t.operations().markFailed(op.seq(), attempts, failure.error() + " (gave up after " + attempts
                        + " attempts)");
            } else {
                Duration delay = failure.retryAfter() != null ? failure.retryAfter()
                        : retryPolicy.delay(attempts, random.getAsDouble());
                t.operations().markRetrying(op.seq(), attempts, clock.instant().plus(delay), failure.error());
            }
            return null;
        });
    }

    private void recordConflict(Operation op, ServerCard current) {
        Conflict conflict = new Conflict(op.kind(), op.cardId(), op.baseFields(), op.patch(), current);
        Resolution resolution;
        try {
            resolution = resolver.resolve(conflict);
        } catch (RuntimeException e) {
            // A failing resolver must not lose the change: keep it, failed, for the user to decide.
            store.write(t -> {
                t.cards().upsert(current);
                t.operations().markFailed(op.seq(), op.attempts() + 1, "version conflict; resolver failed: " + e);
                return null;
            });
            return;
        }
        CardPatch sent = sentFor(op, resolution, current);
        Instant now = clock.instant();
        ResolvedConflict entry = new ResolvedConflict(op.seq(), op.cardId(), op.kind(), op.patch(), current,
                resolution.name(), sent, now);
        store.write(t -> {
            t.cards().upsert(current);
            if (resolution instanceof Resolution.Send && op.kind() == OperationKind.DELETE) {
                t.operations().markFailed(op.seq(), op.attempts() + 1,
                        "version conflict; the resolver answered a patch for a deletion");
                return null;
            }
            t.conflicts().insert(entry);
            boolean nothingToSend = resolution instanceof Resolution.TakeServer
                    || (op.kind() == OperationKind.UPDATE && (sent == null || sent.isEmpty()));
            if (nothingToSend) {
                t.operations().delete(op.seq());
            } else {
                t.operations().resolve(op.seq(), sent, current.version(), current.fields(),
                        UUID.randomUUID().toString());
            }
            return null;
        });
        listener.conflictResolved(entry);
    }

    /** What the resolution sends instead of the refused request (null for a deletion or nothing). */
    private static CardPatch sentFor(Operation op, Resolution resolution, ServerCard current) {
        if (op.kind() != OperationKind.UPDATE) {
            return null;
        }
        if (resolution instanceof Resolution.SendMine) {
            return op.patch();
        }
        if (resolution instanceof Resolution.Send send) {
            return send.patch().changesTo(current.fields());
        }
        return null;
    }
}
