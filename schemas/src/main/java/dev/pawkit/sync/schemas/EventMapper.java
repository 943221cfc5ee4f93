package dev.pawkit.sync.schemas;

import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.domain.CardEvent.CardCreated;
import dev.pawkit.sync.domain.CardEvent.CardDeleted;
import dev.pawkit.sync.domain.CardEvent.CardUpdated;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.schemas.avro.CardCreatedEvent;
import dev.pawkit.sync.schemas.avro.CardDeletedEvent;
import dev.pawkit.sync.schemas.avro.CardEventRecord;
import dev.pawkit.sync.schemas.avro.CardUpdatedEvent;

/** Maps events as the log carries them (with the command that caused them) to event records and back. */
public final class EventMapper {

    private EventMapper() {
    }

    public static CardEventRecord toRecord(EventEnvelope envelope) {
        CardEvent event = envelope.event();
        return CardEventRecord.newBuilder()
                .setCardId(event.cardId())
                .setOwnerId(event.ownerId())
                .setVersion(event.version())
                .setAt(event.at())
                .setCommandId(envelope.commandId())
                .setIdempotencyKey(envelope.idempotencyKey())
                .setClientId(envelope.clientId())
                .setActor(envelope.actor())
                .setEvent(payload(event))
                .build();
    }

    public static EventEnvelope toDomain(CardEventRecord record) {
        return new EventEnvelope(event(record), record.getCommandId(), record.getIdempotencyKey(),
                record.getClientId(), record.getActor());
    }

    private static CardEvent event(CardEventRecord record) {
        Object payload = record.getEvent();
        if (payload instanceof CardCreatedEvent created) {
            return new CardCreated(record.getCardId(), record.getOwnerId(), record.getVersion(), record.getAt(),
                    CardMapper.toDomain(created.getFields()));
        }
        if (payload instanceof CardUpdatedEvent updated) {
            return new CardUpdated(record.getCardId(), record.getOwnerId(), record.getVersion(), record.getAt(),
                    CardMapper.toDomain(updated.getChanges()));
        }
        if (payload instanceof CardDeletedEvent) {
            return new CardDeleted(record.getCardId(), record.getOwnerId(), record.getVersion(), record.getAt());
        }
        throw new IllegalArgumentException("unknown event payload " + payload);
    }

    private static Object payload(CardEvent event) {
        if (event instanceof CardCreated created) {
            return new CardCreatedEvent(CardMapper.toRecord(created.fields()));
        }
        if (event instanceof CardUpdated updated) {
            return new CardUpdatedEvent(CardMapper.toRecord(updated.changes()));
        }
        return new CardDeletedEvent();
    }
}
