package dev.pawkit.sync.api.write;

import dev.pawkit.sync.runtime.PawkitProperties;
import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.domain.log.OutcomeEnvelope;
import dev.pawkit.sync.infra.CommandLog;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Appends a request's command to the {@link CommandLog} and hands back the projector's decision,
 * or "still pending" when none arrived within the bounded wait. Never blocks a request thread.
 * A user past the write rate limit ({@link WriteRateLimiter}) is refused before anything is appended.
 */
@Component
public class CommandGateway {

    /** What a write request gets: the decision, or the id to poll for it. */
    public sealed interface Submission {
        record Decided(OutcomeEnvelope outcome) implements Submission {
        }

        record Pending(String commandId) implements Submission {
        }
    }

    private final CommandLog log;
    private final CommandResultListener results;
    private final PawkitProperties properties;
    private final CommandMetrics metrics;
    private final WriteRateLimiter rateLimiter;
    private final Clock clock;

    CommandGateway(CommandLog log, CommandResultListener results, PawkitProperties properties,
            CommandMetrics metrics, WriteRateLimiter rateLimiter) {
        this.log = log;
        this.results = results;
        this.properties = properties;
        this.metrics = metrics;
        this.rateLimiter = rateLimiter;
        this.clock = Clock.systemUTC();
    }

    public CompletableFuture<Submission> submit(CommandLog.Origin origin, CardCommand command, boolean respondAsync) {
        Optional<Duration> wait = rateLimiter.tryAcquire(origin.userId());
        if (wait.isPresent()) {
            // Refused before the append: the log never sees it; a retry later (same key) is a first attempt.
            metrics.rateLimited(CommandMetrics.typeOf(command));
            return CompletableFuture.failedFuture(new RateLimitedException(wait.get()));
        }
        CommandEnvelope envelope = CommandLog.envelope(CommandIds.next(clock.instant(), origin.userId()), origin, command);
        String commandId = envelope.commandId();
        String type = CommandMetrics.typeOf(command);
        long started = System.nanoTime();
        // Listen before appending: the outcome may come back before append() returns.
        CompletableFuture<OutcomeEnvelope> outcome = results.expect(commandId);
        CompletableFuture<Void> appended = log.append(envelope)
                .exceptionallyCompose(error -> CompletableFuture.failedFuture(new BrokerUnavailableException(error)));

        return appended
                .whenComplete((ok, error) -> {
                    metrics.appended(started, error == null);
                    if (error != null) {
                        outcome.cancel(false);
                        metrics.brokerUnavailable(type);
                    }
                })
                .thenCompose(ok -> {
                    if (respondAsync) {
                        outcome.cancel(false);
                        metrics.answeredPending(type);
                        return CompletableFuture.completedFuture(new Submission.Pending(commandId));
                    }
                    long appendedAt = System.nanoTime();
                    return outcome.<Submission>thenApply(Submission.Decided::new)
                            .completeOnTimeout(new Submission.Pending(commandId),
                                    properties.writes().outcomeWait().toMillis(), TimeUnit.MILLISECONDS)
                            .whenComplete((submission, error) -> {
                                // After a timeout nobody waits here any more: stop listening for it.
                                outcome.cancel(false);
                                if (submission != null) {
                                    metrics.replied(type, submission, started, appendedAt);
                                }
                            });
                });
    }
}
