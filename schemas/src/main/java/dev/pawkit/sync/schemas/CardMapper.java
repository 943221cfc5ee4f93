package dev.pawkit.sync.schemas;

import dev.pawkit.sync.domain.Card;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.Edit;
import dev.pawkit.sync.domain.Metadata;
import dev.pawkit.sync.domain.MetadataStatus;
import dev.pawkit.sync.domain.log.StoredCard;
import dev.pawkit.sync.schemas.avro.CardView;
import dev.pawkit.sync.schemas.avro.FlagEdit;
import dev.pawkit.sync.schemas.avro.ListEdit;
import dev.pawkit.sync.schemas.avro.MetadataState;
import dev.pawkit.sync.schemas.avro.MetadataStatusRecord;
import dev.pawkit.sync.schemas.avro.StatusEdit;
import dev.pawkit.sync.schemas.avro.TextEdit;
import java.util.List;

/** Maps cards, their fields and patches between the domain records and the generated Avro classes. */
public final class CardMapper {

    private CardMapper() {
    }

    public static CardView toView(StoredCard stored) {
        return toView(stored.card(), stored.changeSeq());
    }

    public static StoredCard toStored(CardView view) {
        return new StoredCard(toDomain(view), view.getChangeSeq());
    }

    public static CardView toView(Card card, long changeSeq) {
        return CardView.newBuilder()
                .setId(card.id())
                .setOwnerId(card.ownerId())
                .setFields(toRecord(card.fields()))
                .setVersion(card.version())
                .setCreatedAt(card.createdAt())
                .setUpdatedAt(card.updatedAt())
                .setDeleted(card.deleted())
                .setChangeSeq(changeSeq)
                .build();
    }

    public static Card toDomain(CardView view) {
        return new Card(view.getId(), view.getOwnerId(), toDomain(view.getFields()), view.getVersion(),
                view.getCreatedAt(), view.getUpdatedAt(), view.getDeleted());
    }

    public static dev.pawkit.sync.schemas.avro.CardFields toRecord(CardFields fields) {
        return dev.pawkit.sync.schemas.avro.CardFields.newBuilder()
                .setType(dev.pawkit.sync.schemas.avro.CardType.valueOf(fields.type().name()))
                .setUrl(fields.url())
                .setTitle(fields.title())
                .setNotes(fields.notes())
                .setContent(fields.content())
                .setTags(fields.tags())
                .setCollections(fields.collections())
                .setPinned(fields.pinned())
                .setMetadata(fields.metadata().equals(Metadata.EMPTY) ? null : toRecord(fields.metadata()))
                .build();
    }

    public static CardFields toDomain(dev.pawkit.sync.schemas.avro.CardFields fields) {
        var metadata = fields.getMetadata();
        return new CardFields(
                CardType.valueOf(fields.getType().name()),
                fields.getUrl(),
                fields.getTitle(),
                fields.getNotes(),
                fields.getContent(),
                List.copyOf(fields.getTags()),
                List.copyOf(fields.getCollections()),
                fields.getPinned(),
                metadata == null ? Metadata.EMPTY : toDomain(metadata));
    }

    private static dev.pawkit.sync.schemas.avro.Metadata toRecord(Metadata metadata) {
        return new dev.pawkit.sync.schemas.avro.Metadata(metadata.description(), metadata.image(), metadata.title(),
                metadata.siteName(), metadata.favicon(), toRecord(metadata.status()));
    }

    private static Metadata toDomain(dev.pawkit.sync.schemas.avro.Metadata metadata) {
        return new Metadata(metadata.getDescription(), metadata.getImage(), metadata.getTitle(),
                metadata.getSiteName(), metadata.getFavicon(), toDomain(metadata.getStatus()));
    }

    static MetadataStatusRecord toRecord(MetadataStatus status) {
        return status == null ? null : new MetadataStatusRecord(MetadataState.valueOf(status.state().name()),
                status.url(), status.requestedAt(), status.reason(), status.fetchedAt());
    }

    static MetadataStatus toDomain(MetadataStatusRecord status) {
        return status == null ? null : new MetadataStatus(MetadataStatus.State.valueOf(status.getState().name()),
                status.getUrl(), status.getRequestedAt(), status.getReason(), status.getFetchedAt());
    }

    public static dev.pawkit.sync.schemas.avro.CardPatch toRecord(CardPatch patch) {
        return dev.pawkit.sync.schemas.avro.CardPatch.newBuilder()
                .setUrl(text(patch.url()))
                .setTitle(text(patch.title()))
                .setNotes(text(patch.notes()))
                .setContent(text(patch.content()))
                .setTags(list(patch.tags()))
                .setCollections(list(patch.collections()))
                .setPinned(flag(patch.pinned()))
                .setMetadataDescription(text(patch.metadataDescription()))
                .setMetadataImage(text(patch.metadataImage()))
                .setMetadataTitle(text(patch.metadataTitle()))
                .setMetadataSiteName(text(patch.metadataSiteName()))
                .setMetadataFavicon(text(patch.metadataFavicon()))
                .setMetadataStatus(patch.metadataStatus() instanceof Edit.SetTo<MetadataStatus> set
                        ? new StatusEdit(toRecord(set.value())) : null)
                .build();
    }

    public static CardPatch toDomain(dev.pawkit.sync.schemas.avro.CardPatch patch) {
        return new CardPatch(
                text(patch.getUrl()),
                text(patch.getTitle()),
                text(patch.getNotes()),
                text(patch.getContent()),
                list(patch.getTags()),
                list(patch.getCollections()),
                patch.getPinned() == null ? Edit.keep() : Edit.to(patch.getPinned().getValue()),
                text(patch.getMetadataDescription()),
                text(patch.getMetadataImage()),
                text(patch.getMetadataTitle()),
                text(patch.getMetadataSiteName()),
                text(patch.getMetadataFavicon()),
                patch.getMetadataStatus() == null ? Edit.keep() : Edit.to(toDomain(patch.getMetadataStatus().getValue())));
    }

    private static TextEdit text(Edit<String> edit) {
        return edit instanceof Edit.SetTo<String> set ? new TextEdit(set.value()) : null;
    }

    private static ListEdit list(Edit<List<String>> edit) {
        return edit instanceof Edit.SetTo<List<String>> set ? new ListEdit(set.value()) : null;
    }

    private static FlagEdit flag(Edit<Boolean> edit) {
        return edit instanceof Edit.SetTo<Boolean> set ? new FlagEdit(set.value()) : null;
    }

    private static Edit<String> text(TextEdit edit) {
        return edit == null ? Edit.keep() : Edit.to(edit.getValue());
    }

    private static Edit<List<String>> list(ListEdit edit) {
        return edit == null ? Edit.keep() : Edit.to(List.copyOf(edit.getValue()));
    }
}
