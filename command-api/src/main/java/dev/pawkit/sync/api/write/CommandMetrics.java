package dev.pawkit.sync.api.write;

import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CommandOutcome;
import dev.pawkit.sync.domain.Rejection;
import dev.pawkit.sync.domain.log.OutcomeEnvelope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * The write path as meters, counted where every write passes (the gateway, for single writes and
 * batch members alike). In Prometheus' names:
 * <ul>
 *   <li>{@code pawkit_commands_total{type,outcome}}: every write answered, by what it got: created,
 *       updated, deleted, a rejection's problem type (version-conflict, not-found, ...), pending (a 202)
 *       or broker-unavailable (a 503). A replay counts with the outcome it got again;</li>
 *   <li>{@code pawkit_idempotent_replays_total{type}}: those answered from an earlier decision of the same key;</li>
 *   <li>{@code pawkit_conflicts_total{type,reason}}: fresh decisions refused for a version (409/412) or an
 *       existing card (409);</li>
 *   <li>{@code pawkit_commands_append_seconds{result}}: appending to the command log, until the broker's ack;</li>
 *   <li>{@code pawkit_commands_decision_seconds{type}}: from the request to its decision (append, projector, reply);</li>
 *   <li>{@code pawkit_commands_reply_wait_seconds{result}}: after the append, waiting for the decision: decided, or
 *       timeout (then 202).</li>
 * </ul>
 * Timers publish a percentile histogram, so quantiles are computed across instances in Prometheus.
 * Meters are looked up once per tag combination and kept: the hot path only increments.
 */
@Component
public class CommandMetrics {

    static final String PENDING = "pending";
    static final String BROKER_UNAVAILABLE = "broker-unavailable";
    private static final String REPLY_WAIT = "after the append, the wait for the projector's decision";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    CommandMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The type tag of a command: create, update, delete, erase-user, refresh-metadata. */
    static String typeOf(CardCommand command) {
        if (command instanceof CardCommand.CreateCard) {
            return "create";
        }
        if (command instanceof CardCommand.UpdateCard) {
            return "update";
        }
        if (command instanceof CardCommand.DeleteCard) {
            return "delete";
        }
        if (command instanceof CardCommand.EraseUser) {
            return "erase-user";
        }
        if (command instanceof CardCommand.RefreshMetadata) {
            return "refresh-metadata";
        }
        return "other";
    }

    void appended(long startedNanos, boolean ok) {
        timer("pawkit.commands.append", "result", ok ? "appended" : "failed",
                "appending a write's command to the command log, until the broker acknowledged it")
                .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    void brokerUnavailable(String type) {
        command(type, BROKER_UNAVAILABLE);
    }

    /** A write refused (429) by the per-user rate limit before anything was appended. */
    void rateLimited(String type) {
        command(type, "rate-limited");
    }

    /** A write answered 202 at once (Prefer: respond-async): nobody waits for its decision here. */
    void answeredPending(String type) {
        command(type, PENDING);
    }

    /** The end of the wait after the append: the decision, or none in time (202). */
    void replied(String type, CommandGateway.Submission submission, long startedNanos, long appendedNanos) {
        long now = System.nanoTime();
        if (submission instanceof CommandGateway.Submission.Decided decided) {
            timer("pawkit.commands.reply.wait", "result", "decided", REPLY_WAIT).record(now - appendedNanos, TimeUnit.NANOSECONDS);
            timer("pawkit.commands.decision", "type", type, "from a write request to its decision")
                    .record(now - startedNanos, TimeUnit.NANOSECONDS);
            decided(type, decided.outcome());
        } else {
            timer("pawkit.commands.reply.wait", "result", "timeout", REPLY_WAIT).record(now - appendedNanos, TimeUnit.NANOSECONDS);
            command(type, PENDING);
        }
    }

    private void decided(String type, OutcomeEnvelope outcome) {
        command(type, outcomeName(outcome.outcome()));
        if (outcome.replayed()) {
            counter("pawkit.idempotent.replays", "type", type, null, null,
                    "writes answered again from the first decision of their Idempotency-Key").increment();
            return;
        }
        if (outcome.outcome() instanceof CommandOutcome.Rejected rejected) {
            String conflict = conflictReason(rejected.rejection());
            if (conflict != null) {
                counter("pawkit.conflicts", "type", type, "reason", conflict,
                        "writes refused for a version conflict, a failed If-Match or an existing card").increment();
            }
        }
    }

    private void command(String type, String outcome) {
        counter("pawkit.commands", "type", type, "outcome", outcome, "writes answered, by type and outcome").increment();
    }

    /** As the problem type of the answer names it, or the kind of change applied. */
    static String outcomeName(CommandOutcome outcome) {
        if (outcome instanceof CommandOutcome.Applied applied) {
            return switch (applied.kind()) {
                case CREATED -> "created";
                case UPDATED -> "updated";
                case DELETED -> "deleted";
            };
        }
        if (outcome instanceof CommandOutcome.Erased) {
            return "erased";
        }
        Rejection rejection = ((CommandOutcome.Rejected) outcome).rejection();
        String conflict = conflictReason(rejection);
        if (conflict != null) {
            return conflict;
        }
        if (rejection instanceof Rejection.NotFound) {
            return "not-found";
        }
        if (rejection instanceof Rejection.Gone) {
            return "card-deleted";
        }
        if (rejection instanceof Rejection.InvalidCard) {
            return "invalid-card";
        }
        return "idempotency-key-reused";
    }

    private static String conflictReason(Rejection rejection) {
        if (rejection instanceof Rejection.VersionConflict) {
            return "version-conflict";
        }
        if (rejection instanceof Rejection.PreconditionFailed) {
            return "precondition-failed";
        }
        if (rejection instanceof Rejection.CardExists) {
            return "card-exists";
        }
        return null;
    }

    private Counter counter(String name, String tag, String value, String tag2, String value2, String description) {
        String key = name + '|' + value + '|' + value2;
        return counters.computeIfAbsent(key, k -> {
            Counter.Builder builder = Counter.builder(name).tag(tag, value).description(description);
            if (tag2 != null) {
                builder.tag(tag2, value2);
            }
            return builder.register(registry);
        });
    }

    private Timer timer(String name, String tag, String value, String description) {
        return timers.computeIfAbsent(name + '|' + value, k -> Timer.builder(name).tag(tag, value)
                .description(description).publishPercentileHistogram().register(registry));
    }
}
