package dev.pawkit.sync.enricher;

import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.enricher.fetch.FetchOutcome;
import dev.pawkit.sync.infra.CommandLog;
import dev.pawkit.sync.infra.PawkitTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends the answer to a fetch request: the ApplyMetadata command through the {@link CommandLog}
 * (into the owner's partition, as every command), and for a failure a dead letter too. Returns
 * only once the broker acknowledged all of it; until then it sends again, which the command's
 * idempotency key makes harmless.
 */
final class MetadataPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataPublisher.class);
    private static final Duration RESEND_PAUSE = Duration.ofSeconds(1);

    private final CommandLog commands;
    private final Producer<String, byte[]> deadLetters;

    MetadataPublisher(CommandLog commands, Producer<String, byte[]> deadLetters) {
        this.commands = commands;
        this.deadLetters = deadLetters;
    }

    /** @throws InterruptedException when the enricher stops first: then nothing is known to be acknowledged */
    void publish(FetchRequest request, FetchOutcome outcome, Instant fetchedAt) throws InterruptedException {
        CommandEnvelope command = MetadataCommands.answer(request, outcome, fetchedAt, UUID.randomUUID().toString());
        while (true) {
            List<Future<?>> sent = new ArrayList<>();
            try {
                sent.add(commands.append(command));
                if (outcome instanceof FetchOutcome.Failed failed) {
                    sent.add(deadLetters.send(new ProducerRecord<>(PawkitTopics.METADATA_DEAD_LETTERS, request.cardId(),
                            DeadLetter.of(request, failed.reason(), fetchedAt).toJson())));
                }
                for (Future<?> each : sent) {
                    each.get();
                }
                return;
            } catch (ExecutionException | RuntimeException e) {
                // The producer already retried within its delivery timeout: the broker is away.
                // Keep the answer until it is taken; its offset stays uncommitted meanwhile.
                LOG.warn("could not append the metadata answer for card {} (request {}), sending again: {}",
                        request.cardId(), request.forVersion(), e.toString());
                Thread.sleep(RESEND_PAUSE.toMillis());
            }
        }
    }
}
