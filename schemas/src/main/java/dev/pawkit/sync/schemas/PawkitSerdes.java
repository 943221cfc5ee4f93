package dev.pawkit.sync.schemas;

import dev.pawkit.sync.domain.IdempotencyEntry;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.domain.log.OutcomeEnvelope;
import dev.pawkit.sync.domain.log.StoredCard;
import dev.pawkit.sync.schemas.avro.IdempotencyRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * The serde of every value the system writes to its topics and stores, in domain records. The
 * bytes are Avro single-object encoded under the published schemas ({@link AvroSerdes}); values
 * of every published version are read, upcast to their current meaning.
 */
public final class PawkitSerdes {

    private PawkitSerdes() {
    }

    /** Values of the card-commands topic. */
    public static Serde<CommandEnvelope> commands() {
        return new MappedSerde<>(AvroSerdes.commands(), CommandMapper::toRecord, CommandMapper::toDomain);
    }

    /** Values of the card-events topic and of the history store. */
    public static Serde<EventEnvelope> events() {
        return new MappedSerde<>(AvroSerdes.events(), EventMapper::toRecord, EventMapper::toDomain);
    }

    /** Values of the command-results topic and of the outcome store. */
    public static Serde<OutcomeEnvelope> outcomes() {
        return new MappedSerde<>(AvroSerdes.outcomes(), OutcomeMapper::toRecord, OutcomeMapper::toDomain);
    }

    /** Values of the card store. */
    public static Serde<StoredCard> cards() {
        return new MappedSerde<>(AvroSerdes.cardViews(), CardMapper::toView, CardMapper::toStored);
    }

    /** Values of the idempotency store. */
    public static Serde<IdempotencyEntry> idempotency() {
        return new MappedSerde<>(AvroSerdes.idempotency(),
                entry -> new IdempotencyRecord(entry.fingerprint(), entry.commandId(), entry.firstSeen(),
                        entry.legacyFingerprint()),
                record -> new IdempotencyEntry(record.getFingerprint(), record.getLegacyFingerprint(),
                        record.getCommandId(), record.getFirstSeen()));
    }
}
