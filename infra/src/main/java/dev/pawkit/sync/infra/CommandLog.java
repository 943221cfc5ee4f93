package dev.pawkit.sync.infra;

import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.domain.log.RequestFingerprint;
import dev.pawkit.sync.schemas.LegacyRequestFingerprint;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.sealing.KeysUnavailableException;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The one way into the command log, for every producer of commands (the API, the enricher): the
 * topic, the key (the card id, so a card's commands stay in order), the partition (the owner's,
 * see {@link OwnerPartitioner}), the encoding and the request fingerprint are decided here once.
 * No headers: a value names its own schema (single-object encoding) and carries everything the
 * projector decides on.
 */
public final class CommandLog {

    /**
     * Who sends a command, and as which request.
     *
     * @param actor the user, or the system component acting for them
     * @param request what the sender calls the request (say {@code POST /api/cards}): part of its
     *     fingerprint, so the same body sent to another endpoint is another request
     */
    public record Origin(String userId, String actor, String idempotencyKey, String clientId, String request) {

        /** A request the user sends themselves. */
        public static Origin user(String userId, String idempotencyKey, String clientId, String request) {
            return new Origin(userId, userId, idempotencyKey, clientId, request);
        }
    }

    private final Producer<String, byte[]> producer;
    private final int partitions;
    private final Serializer<CommandEnvelope> encoding;

    /**
     * @param partitions the partition count of the command topic, which maps users to partitions
     * @param serdes seals each command's content under its user's key
     */
    public CommandLog(Producer<String, byte[]> producer, int partitions, PawkitSerdes serdes) {
        this.producer = producer;
        this.partitions = partitions;
        this.encoding = serdes.commands().serializer();
    }

    /**
     * The command as the log carries it, with its request fingerprint, in its current form and in
     * the form versions before it computed ({@link LegacyRequestFingerprint}, until keys that old expire).
     */
    public static CommandEnvelope envelope(String commandId, Origin origin, CardCommand command) {
        return new CommandEnvelope(commandId, origin.userId(), origin.actor(), origin.idempotencyKey(),
                RequestFingerprint.of(origin.request(), command), LegacyRequestFingerprint.of(origin.request(), command),
                origin.clientId(), command);
    }

    /**
     * Appends the command; completes once the broker acknowledged it, or exceptionally with the
     * producer's error (also when the send could not even start, say without broker metadata).
     * A command that cannot be encoded is a bug, not an unreachable broker: that throws here. A key
     * store that cannot be reached to seal it (a new user's key) is the broker's unavailability.
     */
    public CompletableFuture<Void> append(CommandEnvelope command) {
        byte[] value;
        try {
            value = encoding.serialize(PawkitTopics.CARD_COMMANDS, command);
        } catch (KeysUnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> appended = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(PawkitTopics.CARD_COMMANDS, partitionOf(command.userId()),
                    command.cardId(), value), (metadata, error) -> {
                        if (error == null) {
                            appended.complete(null);
                        } else {
                            appended.completeExceptionally(error);
                        }
                    });
        } catch (RuntimeException e) {
            // send() itself throws when metadata cannot be fetched within max.block.ms.
            appended.completeExceptionally(e);
        }
        return appended;
    }

    private int partitionOf(String userId) {
        return OwnerPartitioner.partitionFor(userId, partitions);
    }
}
