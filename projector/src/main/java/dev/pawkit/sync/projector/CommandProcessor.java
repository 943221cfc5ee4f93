package dev.pawkit.sync.projector;

import dev.pawkit.sync.domain.Card;
import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CardDecider;
import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.domain.CommandOutcome;
import dev.pawkit.sync.domain.Decision;
import dev.pawkit.sync.domain.IdempotencyEntry;
import dev.pawkit.sync.domain.Rejection;
import dev.pawkit.sync.schemas.CardMapper;
import dev.pawkit.sync.schemas.CommandMapper;
import dev.pawkit.sync.schemas.EventMapper;
import dev.pawkit.sync.schemas.OutcomeMapper;
import dev.pawkit.sync.schemas.avro.CardCommandRecord;
import dev.pawkit.sync.schemas.avro.CardEventRecord;
import dev.pawkit.sync.schemas.avro.CardView;
import dev.pawkit.sync.schemas.avro.CommandOutcomeRecord;
import dev.pawkit.sync.schemas.avro.IdempotencyRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

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
final class CommandProcessor implements Processor<String, CardCommandRecord, String, SpecificRecord> {

    static final String EVENTS_SINK = "card-events-sink";
    static final String RESULTS_SINK = "command-results-sink";

    private final Duration idempotencyTtl;
    private final Duration purgeInterval;

    private ProcessorContext<String, SpecificRecord> context;
    private CardViews views;
    private KeyValueStore<String, IdempotencyRecord> idempotency;
    private KeyValueStore<String, CommandOutcomeRecord> outcomes;
    private KeyValueStore<String, String> expiryIndex;

    CommandProcessor(Duration idempotencyTtl, Duration purgeInterval) {
        this.idempotencyTtl = idempotencyTtl;
        this.purgeInterval = purgeInterval;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.views = CardViews.of(context);
        this.idempotency = context.getStateStore(Stores.IDEMPOTENCY);
        this.outcomes = context.getStateStore(Stores.OUTCOMES);
        this.expiryIndex = context.getStateStore(Stores.EXPIRY_INDEX);
        context.schedule(purgeInterval, PunctuationType.STREAM_TIME, this::purgeExpired);
    }

    @Override
    public void process(Record<String, CardCommandRecord> record) {
        CardCommandRecord command = record.value();
        Instant at = Instant.ofEpochMilli(record.timestamp());
        String user = command.getUserId();
        String key = command.getIdempotencyKey();
        // A producer that sends a key without a fingerprint says "same key, same request": every
        // such command is then a replay of the first. Never a null that would fail the transaction
        // and stall the partition.
        String fingerprint = command.getFingerprint() == null ? "" : command.getFingerprint();

        if (key != null) {
            IdempotencyRecord seen = idempotency.get(StoreKeys.scoped(user, key));
            IdempotencyEntry entry = seen == null ? null
                    : new IdempotencyEntry(seen.getFingerprint(), seen.getCommandId(), seen.getFirstSeen());
            switch (IdempotencyEntry.check(entry, fingerprint, at, idempotencyTtl)) {
                case REPLAY -> {
                    replay(record, command, seen.getCommandId(), at);
                    return;
                }
                case KEY_REUSED -> {
                    answer(record, command, OutcomeMapper.toRecord(new Rejection.IdempotencyKeyReused(key)), false, at);
                    return;
                }
                case NEW -> {
                    // Decide below.
                }
            }
        }

        CardView stored = views.card(user, command.getCardId());
        Card current = stored == null ? null : CardMapper.toDomain(stored);
        CardCommand domainCommand = CommandMapper.toDomain(command);
        Decision decision = CardDecider.decide(current, domainCommand, user, at);

        List<CardEvent> events = decision instanceof Decision.Accepted accepted ? accepted.events() : List.of();
        CardView after = stored;
        for (CardEvent event : events) {
            CardEventRecord appended = EventMapper.toRecord(event, command);
            after = views.apply(appended);
            context.forward(record.withKey(event.cardId()).withValue(appended), EVENTS_SINK);
        }

        CommandOutcome outcome = CommandOutcome.of(domainCommand, decision,
                after == null ? null : CardMapper.toDomain(after));
        answer(record, command, OutcomeMapper.toRecord(outcome, after == null ? 0 : after.getChangeSeq()), false, at);
        if (key != null) {
            idempotency.put(StoreKeys.scoped(user, key),
                    new IdempotencyRecord(fingerprint, command.getCommandId(), at));
            expireLater(at, Stores.IDEMPOTENCY, StoreKeys.scoped(user, key));
        }
    }

    /** The first request's outcome, answered again under this command's id. */
    private void replay(Record<String, CardCommandRecord> record, CardCommandRecord command, String firstCommandId,
            Instant at) {
        CommandOutcomeRecord first = outcomes.get(StoreKeys.scoped(command.getUserId(), firstCommandId));
        if (first == null) {
            // The outcome expires with its key, so a live key always has one.
            throw new IllegalStateException("no stored outcome for command " + firstCommandId);
        }
        answer(record, command, first.getResult(), true, at);
    }

    private void answer(Record<String, CardCommandRecord> record, CardCommandRecord command, Object result,
            boolean replayed, Instant at) {
        CommandOutcomeRecord outcome = CommandOutcomeRecord.newBuilder()
                .setCommandId(command.getCommandId())
                .setUserId(command.getUserId())
                .setCardId(command.getCardId())
                .setReplayed(replayed)
                .setResult(result)
                // Where the command sits in the log: readers of the outcome store (GET
                // /api/commands/{id}) tell a committed decision by the projector's committed offset.
                .setCommandOffset(context.recordMetadata().map(RecordMetadata::offset).orElse(-1L))
                .build();
        String outcomeKey = StoreKeys.scoped(command.getUserId(), command.getCommandId());
        outcomes.put(outcomeKey, outcome);
        expireLater(at, Stores.OUTCOMES, outcomeKey);
        context.forward(record.withKey(command.getCommandId()).withValue(outcome), RESULTS_SINK);
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
                    IdempotencyRecord current = idempotency.get(target[1]);
                    // A key reused after expiry has a newer entry with its own index line: keep it.
                    if (current != null
                            && !current.getFirstSeen().plus(idempotencyTtl).isAfter(Instant.ofEpochMilli(streamTime))) {
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
