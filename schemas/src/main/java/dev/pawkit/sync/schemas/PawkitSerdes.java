package dev.pawkit.sync.schemas;

import dev.pawkit.sync.schemas.avro.CardCommandRecord;
import dev.pawkit.sync.schemas.avro.CardEventRecord;
import dev.pawkit.sync.schemas.avro.CardView;
import dev.pawkit.sync.schemas.avro.CommandOutcomeRecord;
import dev.pawkit.sync.schemas.avro.IdempotencyRecord;
import java.util.List;

/** The serde of each record type the system writes to topics and stores. */
public final class PawkitSerdes {

    private PawkitSerdes() {
    }

    public static SingleObjectSerde<CardCommandRecord> commands() {
        return new SingleObjectSerde<>(CardCommandRecord.class, CardCommandRecord.getClassSchema(), List.of());
    }

    public static SingleObjectSerde<CardEventRecord> events() {
        return new SingleObjectSerde<>(CardEventRecord.class, CardEventRecord.getClassSchema(), List.of());
    }

    public static SingleObjectSerde<CommandOutcomeRecord> outcomes() {
        return new SingleObjectSerde<>(CommandOutcomeRecord.class, CommandOutcomeRecord.getClassSchema(), List.of());
    }

    public static SingleObjectSerde<CardView> cardViews() {
        return new SingleObjectSerde<>(CardView.class, CardView.getClassSchema(), List.of());
    }

    public static SingleObjectSerde<IdempotencyRecord> idempotency() {
        return new SingleObjectSerde<>(IdempotencyRecord.class, IdempotencyRecord.getClassSchema(), List.of());
    }
}
