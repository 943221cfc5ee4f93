package dev.pawkit.sync.schemas;

import dev.pawkit.sync.schemas.avro.AppliedResult;
import dev.pawkit.sync.schemas.avro.ApplyMetadataCommand;
import dev.pawkit.sync.schemas.avro.CardCommandRecord;
import dev.pawkit.sync.schemas.avro.CardCreatedEvent;
import dev.pawkit.sync.schemas.avro.CardEventRecord;
import dev.pawkit.sync.schemas.avro.CardFields;
import dev.pawkit.sync.schemas.avro.CardPatch;
import dev.pawkit.sync.schemas.avro.CardUpdatedEvent;
import dev.pawkit.sync.schemas.avro.CardView;
import dev.pawkit.sync.schemas.avro.CommandOutcomeRecord;
import dev.pawkit.sync.schemas.avro.CreateCardCommand;
import dev.pawkit.sync.schemas.avro.PageMetadataRecord;
import dev.pawkit.sync.schemas.avro.RejectedResult;
import dev.pawkit.sync.schemas.avro.SealedContent;
import dev.pawkit.sync.schemas.avro.UpdateCardCommand;
import dev.pawkit.sync.schemas.sealing.ContentSealer;
import dev.pawkit.sync.schemas.sealing.Sealed;
import dev.pawkit.sync.schemas.sealing.UserKeys;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;

/**
 * Seals the personal parts of every record the system writes (a card's fields, a patch's edits,
 * a fetched page's metadata) under the owner's data key, and opens them again on reading. Ids,
 * versions, event and card types and times stay readable, so the log keeps its shape and order.
 *
 * <p>Opening answers empty when the owner's keys were destroyed: the record is then as good as
 * gone, for every reader. Records written before sealing (schema v5 and older) are in clear and
 * open as they are.
 */
public final class RecordSealing {

    /** Null only {@link #inClear()}. */
    private final ContentSealer sealer;
    private final SingleObjectSerde<CardFields> fields = new SingleObjectSerde<>(CardFields.class,
            CardFields.getClassSchema(), PublishedSchemas.versionsOf(CardFields.getClassSchema().getFullName()));
    private final SingleObjectSerde<CardPatch> patches = new SingleObjectSerde<>(CardPatch.class,
            CardPatch.getClassSchema(), PublishedSchemas.versionsOf(CardPatch.getClassSchema().getFullName()));
    private final SingleObjectSerde<PageMetadataRecord> pages = new SingleObjectSerde<>(PageMetadataRecord.class,
            PageMetadataRecord.getClassSchema(),
            PublishedSchemas.versionsOfNested(PageMetadataRecord.getClassSchema().getFullName()));

    public RecordSealing(ContentSealer sealer) {
        this.sealer = Objects.requireNonNull(sealer);
    }

    private RecordSealing() {
        this.sealer = null;
    }

    /**
     * No sealing: records are written in clear, in the form schema v5 wrote (the {@code sealed}
     * fields empty), and a sealed record does not open (an error, never silently nothing). Only to
     * measure what sealing costs beside it (bench's {@code SealingBenchmark}); no process of the
     * system writes with it, since nothing it writes could be erased.
     */
    public static RecordSealing inClear() {
        return new RecordSealing();
    }

    /** The sealer of values outside these records (the enricher's dead letters), under the same keys. */
    public ContentSealer sealer() {
        if (sealer == null) {
            throw new IllegalStateException("serdes in clear have no keys to seal with");
        }
        return sealer;
    }

    /** The keys this seals under. */
    public UserKeys keys() {
        return sealer.keys();
    }

    public CardEventRecord seal(CardEventRecord event) {
        String owner = event.getOwnerId();
        if (event.getEvent() instanceof CardCreatedEvent created) {
            created.setFields(seal(owner, created.getFields()));
        } else if (event.getEvent() instanceof CardUpdatedEvent updated) {
            updated.setChanges(seal(owner, updated.getChanges()));
        }
        return event;
    }

    public Optional<CardEventRecord> open(CardEventRecord event) {
        String owner = event.getOwnerId();
        if (event.getEvent() instanceof CardCreatedEvent created) {
            return open(owner, created.getFields()).map(clear -> {
                created.setFields(clear);
                return event;
            });
        }
        if (event.getEvent() instanceof CardUpdatedEvent updated) {
            return open(owner, updated.getChanges()).map(clear -> {
                updated.setChanges(clear);
                return event;
            });
        }
        return Optional.of(event);
    }

    public CardCommandRecord seal(CardCommandRecord command) {
        String user = command.getUserId();
        Object payload = command.getCommand();
        if (payload instanceof CreateCardCommand create) {
            create.setFields(seal(user, create.getFields()));
        } else if (payload instanceof UpdateCardCommand update) {
            update.setPatch(seal(user, update.getPatch()));
        } else if (payload instanceof ApplyMetadataCommand apply && apply.getPage() != null) {
            apply.setPage(seal(user, apply.getPage()));
        }
        return command;
    }

    public Optional<CardCommandRecord> open(CardCommandRecord command) {
        String user = command.getUserId();
        Object payload = command.getCommand();
        if (payload instanceof CreateCardCommand create) {
            return open(user, create.getFields()).map(clear -> {
                create.setFields(clear);
                return command;
            });
        }
        if (payload instanceof UpdateCardCommand update) {
            return open(user, update.getPatch()).map(clear -> {
                update.setPatch(clear);
                return command;
            });
        }
        if (payload instanceof ApplyMetadataCommand apply && apply.getPage() != null) {
            return open(user, apply.getPage()).map(clear -> {
                apply.setPage(clear);
                return command;
            });
        }
        return Optional.of(command);
    }

    public CommandOutcomeRecord seal(CommandOutcomeRecord outcome) {
        if (outcome.getResult() instanceof AppliedResult applied) {
            applied.setCard(seal(applied.getCard()));
        } else if (outcome.getResult() instanceof RejectedResult rejected && rejected.getCurrentCard() != null) {
            rejected.setCurrentCard(seal(rejected.getCurrentCard()));
        }
        return outcome;
    }

    public Optional<CommandOutcomeRecord> open(CommandOutcomeRecord outcome) {
        if (outcome.getResult() instanceof AppliedResult applied) {
            return open(applied.getCard()).map(clear -> {
                applied.setCard(clear);
                return outcome;
            });
        }
        if (outcome.getResult() instanceof RejectedResult rejected && rejected.getCurrentCard() != null) {
            return open(rejected.getCurrentCard()).map(clear -> {
                rejected.setCurrentCard(clear);
                return outcome;
            });
        }
        return Optional.of(outcome);
    }

    public CardView seal(CardView card) {
        card.setFields(seal(card.getOwnerId(), card.getFields()));
        return card;
    }

    public Optional<CardView> open(CardView card) {
        return open(card.getOwnerId(), card.getFields()).map(clear -> {
            card.setFields(clear);
            return card;
        });
    }

    private CardFields seal(String owner, CardFields clear) {
        if (clear.getSealed() != null || sealer == null) {
            return clear;
        }
        // Only the card type stays outside: the rest, pinned included, is the owner's.
        return CardFields.newBuilder().setType(clear.getType())
                .setSealed(sealed(owner, fields.serialize(null, clear))).build();
    }

    private Optional<CardFields> open(String owner, CardFields stored) {
        return stored.getSealed() == null ? Optional.of(stored)
                : opened(owner, stored.getSealed()).map(bytes -> fields.deserialize(null, bytes));
    }

    private CardPatch seal(String owner, CardPatch clear) {
        return clear.getSealed() != null || sealer == null ? clear
                : CardPatch.newBuilder().setSealed(sealed(owner, patches.serialize(null, clear))).build();
    }

    private Optional<CardPatch> open(String owner, CardPatch stored) {
        return stored.getSealed() == null ? Optional.of(stored)
                : opened(owner, stored.getSealed()).map(bytes -> patches.deserialize(null, bytes));
    }

    private PageMetadataRecord seal(String owner, PageMetadataRecord clear) {
        return clear.getSealed() != null || sealer == null ? clear
                : PageMetadataRecord.newBuilder().setSealed(sealed(owner, pages.serialize(null, clear))).build();
    }

    private Optional<PageMetadataRecord> open(String owner, PageMetadataRecord stored) {
        return stored.getSealed() == null ? Optional.of(stored)
                : opened(owner, stored.getSealed()).map(bytes -> pages.deserialize(null, bytes));
    }

    private SealedContent sealed(String owner, byte[] plaintext) {
        Sealed sealed = sealer.seal(owner, plaintext);
        return new SealedContent(sealed.keyId(), ByteBuffer.wrap(sealed.ciphertext()));
    }

    private Optional<byte[]> opened(String owner, SealedContent content) {
        if (sealer == null) {
            throw new IllegalStateException("a sealed value of " + owner + " read by serdes in clear");
        }
        ByteBuffer buffer = content.getCiphertext().duplicate();
        byte[] ciphertext = new byte[buffer.remaining()];
        buffer.get(ciphertext);
        return sealer.open(owner, new Sealed(content.getKeyId(), ciphertext));
    }
}
