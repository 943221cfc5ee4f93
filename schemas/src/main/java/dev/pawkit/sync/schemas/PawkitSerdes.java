package dev.pawkit.sync.schemas;

import dev.pawkit.sync.domain.IdempotencyEntry;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.domain.log.OutcomeEnvelope;
import dev.pawkit.sync.domain.log.StoredCard;
import dev.pawkit.sync.schemas.avro.IdempotencyRecord;
import dev.pawkit.sync.schemas.sealing.ContentSealer;
import dev.pawkit.sync.schemas.sealing.UserKeys;
import org.apache.kafka.common.serialization.Serde;

/**
 * The serde of every value the system writes to its topics and stores, in domain records. The
 * bytes are Avro single-object encoded under the published schemas ({@link AvroSerdes}); values
 * of every published version are read, upcast to their current meaning. Personal content is
 * sealed under its owner's key ({@link RecordSealing}); a value whose owner's keys were destroyed
 * reads as {@code null}, as if it had been deleted.
 */
public final class PawkitSerdes {

    private final RecordSealing sealing;

    public PawkitSerdes(RecordSealing sealing) {
        this.sealing = sealing;
    }

    /** Serdes sealing under the keys of {@code keys}. */
    public static PawkitSerdes sealedWith(UserKeys keys) {
        return new PawkitSerdes(new RecordSealing(new ContentSealer(keys)));
    }

    /** The users' keys these serdes seal under (erasing a user destroys theirs). */
    public UserKeys keys() {
        return sealing.keys();
    }

    /**
     * Serdes writing personal content in clear, as schema v5 did ({@link RecordSealing#inClear()}):
     * only for measuring what sealing costs beside the sealed serdes. Never for the system's topics.
     */
    public static PawkitSerdes inClear() {
        return new PawkitSerdes(RecordSealing.inClear());
    }

    /**
     * The sealer under these serdes' keys, for personal values that are not among the records
     * above (the enricher's dead letters): one set of keys, so destroying a user's reaches them too.
     */
    public ContentSealer sealer() {
        return sealing.sealer();
    }

    /** Values of the card-commands topic. */
    public Serde<CommandEnvelope> commands() {
        return new MappedSerde<>(AvroSerdes.commands(), command -> sealing.seal(CommandMapper.toRecord(command)),
                record -> sealing.open(record).map(CommandMapper::toDomain).orElse(null));
    }

    /** Values of the card-events topic and of the history store. */
    public Serde<EventEnvelope> events() {
        return new MappedSerde<>(AvroSerdes.events(), event -> sealing.seal(EventMapper.toRecord(event)),
                record -> sealing.open(record).map(EventMapper::toDomain).orElse(null));
    }

    /** Values of the command-results topic and of the outcome store. */
    public Serde<OutcomeEnvelope> outcomes() {
        return new MappedSerde<>(AvroSerdes.outcomes(), outcome -> sealing.seal(OutcomeMapper.toRecord(outcome)),
                record -> sealing.open(record).map(OutcomeMapper::toDomain).orElse(null));
    }

    /** Values of the card store. */
    public Serde<StoredCard> cards() {
        return new MappedSerde<>(AvroSerdes.cardViews(), card -> sealing.seal(CardMapper.toView(card)),
                record -> sealing.open(record).map(CardMapper::toStored).orElse(null));
    }

    /** Values of the idempotency store: nothing personal in them (a request's fingerprint is a hash). */
    public Serde<IdempotencyEntry> idempotency() {
        return new MappedSerde<>(AvroSerdes.idempotency(),
                entry -> new IdempotencyRecord(entry.fingerprint(), entry.commandId(), entry.firstSeen(),
                        entry.legacyFingerprint()),
                record -> new IdempotencyEntry(record.getFingerprint(), record.getLegacyFingerprint(),
                        record.getCommandId(), record.getFirstSeen()));
    }
}
