package dev.pawkit.sync.enricher;

import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.enricher.fetch.FetchOutcome;
import dev.pawkit.sync.infra.CommandLog;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.schemas.sealing.ContentSealer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends the answer to a fetch request: the ApplyMetadata command through the {@link CommandLog}
 * (into the owner's partition, as every command), and for a failure a dead letter too. The future
 * completes only once the broker acknowledged all of it; until then it sends again, which the
 * command's idempotency key makes harmless. Nothing here waits on the caller's thread, so a worker
 * goes on to the next page while the producer batches the answers (a paused host's backlog is
 * thousands of them).
 */
final class MetadataPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataPublisher.class);
    private static final Duration RESEND_PAUSE = Duration.ofSeconds(1);

    private final CommandLog commands;
    private final Producer<String, byte[]> deadLetters;
    private final ContentSealer sealer;
    private final ScheduledExecutorService resends = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "pawkit-enricher-resend");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    /** @param sealer seals a dead letter's url and reason under the owner's key, as the command log seals the answer */
    MetadataPublisher(CommandLog commands, Producer<String, byte[]> deadLetters, ContentSealer sealer) {
        this.commands = commands;
        this.deadLetters = deadLetters;
        this.sealer = sealer;
    }

    /** Completes once the broker has the answer; never completes when closed first (then nothing is known to be acknowledged). */
    CompletableFuture<Void> publish(FetchRequest request, FetchOutcome outcome, Instant fetchedAt) {
        CommandEnvelope command = MetadataCommands.answer(request, outcome, fetchedAt, UUID.randomUUID().toString());
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        send(request, outcome, fetchedAt, command, acknowledged);
        return acknowledged;
    }

    private void send(FetchRequest request, FetchOutcome outcome, Instant fetchedAt, CommandEnvelope command,
            CompletableFuture<Void> acknowledged) {
        if (closed) {
            return;
        }
        List<CompletableFuture<?>> sent = new ArrayList<>();
        sent.add(commands.append(command));
        if (outcome instanceof FetchOutcome.Failed failed) {
            CompletableFuture<Void> letter = new CompletableFuture<>();
            try {
                deadLetters.send(new ProducerRecord<>(PawkitTopics.METADATA_DEAD_LETTERS, request.cardId(),
                        DeadLetter.of(request, failed.reason(), fetchedAt).sealedJson(sealer)), (metadata, error) -> {
                            if (error == null) {
                                letter.complete(null);
                            } else {
                                letter.completeExceptionally(error);
                            }
                        });
            } catch (RuntimeException e) {
                // The key store away (KeysUnavailableException) is sent again like the broker away.
                letter.completeExceptionally(e);
            }
            sent.add(letter);
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
            if (error == null) {
                acknowledged.complete(null);
                return;
            }
            // The producer already retried within its delivery timeout: the broker is away. Keep the
            // answer until it is taken; its offset stays uncommitted meanwhile.
            LOG.warn("could not append the metadata answer for card {} (request {}), sending again: {}",
                    request.cardId(), request.forVersion(), error.toString());
            if (!closed) {
                resends.schedule(() -> send(request, outcome, fetchedAt, command, acknowledged),
                        RESEND_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Stops sending again; answers not acknowledged yet stay so (their offsets uncommitted). */
    @Override
    public void close() {
        closed = true;
        resends.shutdownNow();
    }
}
