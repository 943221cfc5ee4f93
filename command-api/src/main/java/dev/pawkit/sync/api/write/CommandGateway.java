package dev.pawkit.sync.api.write;

import dev.pawkit.sync.api.PawkitProperties;
import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.projector.OwnerPartitioner;
import dev.pawkit.sync.schemas.CommandMapper;
import dev.pawkit.sync.schemas.avro.CardCommandRecord;
import dev.pawkit.sync.schemas.avro.CommandOutcomeRecord;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.stereotype.Component;

/**
 * Appends a command to the log in its owner's partition and hands back the projector's decision,
 * or "still pending" when none arrived within the bounded wait. Never blocks a request thread.
 */
@Component
public class CommandGateway {

    /** What a write request gets: the decision, or the id to poll for it. */
    public sealed interface Submission {
        record Decided(CommandOutcomeRecord outcome) implements Submission {
        }

        record Pending(String commandId) implements Submission {
        }
    }

    /** Who sent the command and under which key and request fingerprint. */
    public record Origin(String userId, String idempotencyKey, String fingerprint, String clientId) {
    }

    private final Producer<String, CardCommandRecord> producer;
    private final CommandResultListener results;
    private final PawkitProperties properties;
    private final Clock clock;

    CommandGateway(Producer<String, CardCommandRecord> producer, CommandResultListener results,
            PawkitProperties properties) {
        this.producer = producer;
        this.results = results;
        this.properties = properties;
        this.clock = Clock.systemUTC();
    }

    public CompletableFuture<Submission> submit(Origin origin, CardCommand command, boolean respondAsync) {
        String commandId = CommandIds.next(clock.instant());
        CardCommandRecord record = CommandMapper.toRecord(new CommandMapper.Envelope(commandId, origin.userId(),
                origin.idempotencyKey(), origin.fingerprint(), origin.clientId()), command);
        int partition = OwnerPartitioner.partitionFor(origin.userId(), properties.kafka().partitions());

        CompletableFuture<CommandOutcomeRecord> outcome = results.expect(commandId);
        CompletableFuture<Void> appended = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(PawkitTopics.CARD_COMMANDS, partition, command.cardId(), record),
                    (metadata, error) -> {
                        if (error == null) {
                            appended.complete(null);
                        } else {
                            appended.completeExceptionally(new BrokerUnavailableException(error));
                        }
                    });
        } catch (RuntimeException e) {
            // send() itself throws when metadata cannot be fetched within max.block.ms.
            appended.completeExceptionally(new BrokerUnavailableException(e));
        }

        return appended
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        outcome.cancel(false);
                    }
                })
                .thenCompose(ok -> {
                    if (respondAsync) {
                        outcome.cancel(false);
                        return CompletableFuture.completedFuture(new Submission.Pending(commandId));
                    }
                    return outcome.<Submission>thenApply(Submission.Decided::new)
                            .completeOnTimeout(new Submission.Pending(commandId),
                                    properties.writes().outcomeWait().toMillis(), TimeUnit.MILLISECONDS)
                            // After a timeout nobody waits here any more: stop listening for it.
                            .whenComplete((submission, error) -> outcome.cancel(false));
                });
    }
}
