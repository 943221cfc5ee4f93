package dev.pawkit.sync.schemas;

import dev.pawkit.sync.schemas.avro.CardCommandRecord;
import dev.pawkit.sync.schemas.avro.CardEventRecord;
import dev.pawkit.sync.schemas.avro.CardView;
import dev.pawkit.sync.schemas.avro.CommandOutcomeRecord;
import dev.pawkit.sync.schemas.avro.IdempotencyRecord;

/**
 * The Avro serde of each record type the system writes to topics and stores, in terms of the
 * generated classes. Each reads values of every published version of its schema
 * ({@link PublishedSchemas}), upcast where needed. Code outside this module uses
 * {@link PawkitSerdes}, the same bytes as domain records; these are for the mappers and for tests
 * that look at the wire itself.
 */
public final class AvroSerdes {

    private AvroSerdes() {
    }

    public static SingleObjectSerde<CardCommandRecord> commands() {
        return new SingleObjectSerde<>(CardCommandRecord.class, CardCommandRecord.getClassSchema(),
                PublishedSchemas.versionsOf(CardCommandRecord.getClassSchema().getFullName()), Upcasting::command);
    }

    public static SingleObjectSerde<CardEventRecord> events() {
        return new SingleObjectSerde<>(CardEventRecord.class, CardEventRecord.getClassSchema(),
                PublishedSchemas.versionsOf(CardEventRecord.getClassSchema().getFullName()), Upcasting::event);
    }

    public static SingleObjectSerde<CommandOutcomeRecord> outcomes() {
        return new SingleObjectSerde<>(CommandOutcomeRecord.class, CommandOutcomeRecord.getClassSchema(),
                PublishedSchemas.versionsOf(CommandOutcomeRecord.getClassSchema().getFullName()));
    }

    public static SingleObjectSerde<CardView> cardViews() {
        return new SingleObjectSerde<>(CardView.class, CardView.getClassSchema(),
                PublishedSchemas.versionsOf(CardView.getClassSchema().getFullName()));
    }

    public static SingleObjectSerde<IdempotencyRecord> idempotency() {
        return new SingleObjectSerde<>(IdempotencyRecord.class, IdempotencyRecord.getClassSchema(),
                PublishedSchemas.versionsOf(IdempotencyRecord.getClassSchema().getFullName()));
    }
}
