package dev.pawkit.sync.projector;

import dev.pawkit.sync.domain.Card;
import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CardDecider;
import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.domain.CommandOutcome;
import dev.pawkit.sync.domain.Decision;
import dev.pawkit.sync.domain.IdempotencyEntry;
import dev.pawkit.sync.domain.LaterChanges;
import dev.pawkit.sync.domain.Rejection;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.domain.log.OutcomeEnvelope;
import dev.pawkit.sync.domain.log.StoredCard;
import dev.pawkit.sync.infra.KafkaUserKeys;
import dev.pawkit.sync.schemas.sealing.UserKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of a partition's users: for each command, in log order, within the stream
 * task's exactly-once transaction:
 * <ol>
 *   <li>idempotency: a replayed request gets its stored outcome again, a reused key is refused;</li>
 *   <li>load the card, {@link CardDecider#decide decide};</li>
 *   <li>fold the events into the {@link CardViews} (card, change feed, history);</li>
 *   <li>emit the events, then the outcome, and remember the outcome under the command id and key.</li>
 * </ol>
 * Time is the command record's timestamp, and the purge runs on stream time, so reprocessing the
 * same log from the same state gives the same outputs.
 */
final class CommandProcessor implements Processor<String, CommandEnvelope, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(CommandProcessor.class);

    static final String EVENTS_SINK = "card-events-sink";
    static final String RESULTS_SINK = "command-results-sink";
    static final String USER_KEYS_SINK = "user-keys-sink";

    private final Duration idempotencyTtl;
    private final Duration purgeInterval;
    private final UserKeys keys;

    private ProcessorContext<String, Object> context;
    private CardViews views;
    private KeyValueStore<String, IdempotencyEntry> idempotency;
    private KeyValueStore<String, OutcomeEnvelope> outcomes;
    private KeyValueStore<String, String> expiryIndex;

    CommandProcessor(Duration idempotencyTtl, Duration purgeInterval, UserKeys keys) {
        this.idempotencyTtl = idempotencyTtl;
        this.purgeInterval = purgeInterval;
        this.keys = keys;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.views = CardViews.of(context);
        this.idempotency = context.getStateStore(Stores.IDEMPOTENCY);
        this.outcomes = context.getStateStore(Stores.OUTCOMES);
        this.expiryIndex = context.getStateStore(Stores.EXPIRY_INDEX);
        context.schedule(purgeInterval, PunctuationType.STREAM_TIME, this::purgeExpired);
    }

    @Override
    public void process(Record<String, CommandEnvelope> record) {
        CommandEnvelope command = record.value();
        if (command == null) {
            // Sealed under a key since destroyed: its user was erased after sending it. There is
            // nothing left to decide on (and no one to answer: the request was the erased user's).
            return;
        }
        Instant at = Instant.ofEpochMilli(record.timestamp());
        if (command.command() instanceof CardCommand.EraseUser) {
            // Idempotent by nature, so never looked up by its key: erasing twice erases twice.
            erase(record, command, at);
            return;
        }
        String user = command.userId();
        String key = command.idempotencyKey();
        // A producer that sends a key without a fingerprint says "same key, same request": every
        // such command is then a replay of the first. Never a null that would fail the transaction
        // and stall the partition.
        String fingerprint = command.fingerprint() == null ? "" : command.fingerprint();

        if (key != null) {
            IdempotencyEntry seen = idempotency.get(StoreKeys.scoped(user, key));
            switch (IdempotencyEntry.check(seen, fingerprint, command.legacyFingerprint(), at, idempotencyTtl)) {
                case REPLAY -> {
                    if (replay(record, command, seen.commandId(), at)) {
                        return;
                    }
                    // The first outcome no longer opens: decided anew below, as if the key were new.
                }
                case KEY_REUSED -> {
                    answer(record, command, new CommandOutcome.Rejected(new Rejection.IdempotencyKeyReused(key)), 0, at);
                    return;
                }
                case NEW -> {
                    // Decide below.
                }
            }
        }

        StoredCard stored = views.card(user, command.cardId());
        Card current = stored == null ? null : stored.card();
        Decision decision = CardDecider.decide(current, command.command(), user, at,
                version -> current == null ? LaterChanges.UNKNOWN
                        : views.changesAfter(user, command.cardId(), version, current.version()));

        List<CardEvent> events = decision instanceof Decision.Accepted accepted ? accepted.events() : List.of();
        StoredCard after = stored;
        for (CardEvent event : events) {
            EventEnvelope appended = EventEnvelope.causedBy(command, event);
            after = views.apply(appended);
            context.forward(record.withKey(event.cardId()).withValue(appended), EVENTS_SINK);
        }

        CommandOutcome outcome = CommandOutcome.of(command.command(), decision, after == null ? null : after.card());
        answer(record, command, outcome, outcome instanceof CommandOutcome.Applied ? after.changeSeq() : 0, at);
        if (key != null) {
            idempotency.put(StoreKeys.scoped(user, key),
                    new IdempotencyEntry(fingerprint, command.legacyFingerprint(), command.commandId(), at));
            expireLater(at, Stores.IDEMPOTENCY, StoreKeys.scoped(user, key));
        }
    }

    /**
     * The first request's outcome, answered again under this command's id. False if it cannot be
     * read: the outcome expires with its key, and erasure removes both together, so that happens
     * only when the user's keys were destroyed some other way; their old answer is then as good
     * as gone, and the request is decided anew rather than stalling the partition.
     */
    private boolean replay(Record<String, CommandEnvelope> record, CommandEnvelope command, String firstCommandId,
            Instant at) {
        OutcomeEnvelope first = outcomes.get(StoreKeys.scoped(command.userId(), firstCommandId));
        if (first == null) {
            log.warn("the stored outcome of command {} cannot be read; deciding command {} anew", firstCommandId,
                    command.commandId());
            return false;
        }
        remember(record, first.replayedAs(command, offsetOf()), at);
        return true;
    }

    /**
     * Forgets the user, all in this task's transaction: every entry of theirs in every store
     * (views, history, idempotency keys, stored answers), and a tombstone for each of their data
     * keys, so that what the log and the changelogs still hold of them can never be opened again.
     * The erasure commits whole or not at all; its answer is committed with it.
     */
    private void erase(Record<String, CommandEnvelope> record, CommandEnvelope command, Instant at) {
        String user = command.userId();
        long cards = views.erase(user);
        CardViews.deleteUser(idempotency, user);
        CardViews.deleteUser(outcomes, user);
        Set<String> keyIds = keys.keyIds(user);
        for (String keyId : keyIds) {
            context.forward(record.withKey(KafkaUserKeys.recordKey(user, keyId)).withValue(null), USER_KEYS_SINK);
        }
        log.info("erased user {}: {} card(s), {} key(s)", user, cards, keyIds.size());
        answer(record, command, new CommandOutcome.Erased(cards, keyIds.size()), 0, at);
    }

    private void answer(Record<String, CommandEnvelope> record, CommandEnvelope command, CommandOutcome outcome,
            long changeSeq, Instant at) {
        remember(record, new OutcomeEnvelope(command.commandId(), command.userId(), command.cardId(), false, outcome,
                changeSeq, offsetOf()), at);
    }

    /** Stores the outcome under its command id (until it expires) and sends it to the reply topic. */
    private void remember(Record<String, CommandEnvelope> record, OutcomeEnvelope outcome, Instant at) {
        String outcomeKey = StoreKeys.scoped(outcome.userId(), outcome.commandId());
        outcomes.put(outcomeKey, outcome);
        expireLater(at, Stores.OUTCOMES, outcomeKey);
        context.forward(record.withKey(outcome.commandId()).withValue(outcome), RESULTS_SINK);
    }

    /**
     * Where the command sits in the log: readers of the outcome store (GET /api/commands/{id})
     * tell a committed decision by the projector's committed offset.
     */
    private long offsetOf() {
        return context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
    }

    private void expireLater(Instant from, String storeName, String key) {
        expiryIndex.put(StoreKeys.expiry(from.plus(idempotencyTtl).toEpochMilli(), storeName, key), "");
    }

    /** Deletes what is due, oldest first; bounded by the time index, never a scan of the stores. */
    private void purgeExpired(long streamTime) {
        try (KeyValueIterator<String, String> due = expiryIndex.range("", StoreKeys.expiryUpTo(streamTime))) {
            while (due.hasNext()) {
                KeyValue<String, String> entry = due.next();
                String[] target = StoreKeys.expiryTarget(entry.key);
                if (Stores.IDEMPOTENCY.equals(target[0])) {
                    IdempotencyEntry current = idempotency.get(target[1]);
                    // A key reused after expiry has a newer entry with its own index line: keep it.
                    if (current != null && !current.expiresAt(idempotencyTtl).isAfter(Instant.ofEpochMilli(streamTime))) {
                        idempotency.delete(target[1]);
                    }
                } else {
                    outcomes.delete(target[1]);
                }
                expiryIndex.delete(entry.key);
            }
        }
    }
}
