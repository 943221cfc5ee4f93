package dev.pawkit.sync.schemas;

import dev.pawkit.sync.schemas.avro.CardCommandRecord;
import dev.pawkit.sync.schemas.avro.CardEventRecord;

/**
 * Brings values written under older schemas up to the current meaning, right after decoding, so
 * no code past the serde sees an old shape. Schema resolution fills a new field with its default;
 * here the default becomes what the field means for old data.
 */
public final class Upcasting {

    private Upcasting() {
    }

    /** v1 events have no actor (schema default ""): the owner did everything then. */
    public static CardEventRecord event(CardEventRecord event) {
        if (event.getActor().isEmpty()) {
            event.setActor(event.getOwnerId());
        }
        return event;
    }

    /** v1 commands have no actor: the user sent every command then. */
    public static CardCommandRecord command(CardCommandRecord command) {
        if (command.getActor().isEmpty()) {
            command.setActor(command.getUserId());
        }
        return command;
    }
}
