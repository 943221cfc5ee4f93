package dev.pawkit.sync.schemas;

import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CardCommand.ApplyMetadata;
import dev.pawkit.sync.domain.CardCommand.CreateCard;
import dev.pawkit.sync.domain.CardCommand.DeleteCard;
import dev.pawkit.sync.domain.CardCommand.RefreshMetadata;
import dev.pawkit.sync.domain.CardCommand.UpdateCard;
import dev.pawkit.sync.domain.PageMetadata;
import dev.pawkit.sync.domain.ExpectedVersion;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.schemas.avro.ApplyMetadataCommand;
import dev.pawkit.sync.schemas.avro.CardCommandRecord;
import dev.pawkit.sync.schemas.avro.CreateCardCommand;
import dev.pawkit.sync.schemas.avro.DeleteCardCommand;
import dev.pawkit.sync.schemas.avro.EraseUserCommand;
import dev.pawkit.sync.schemas.avro.ExpectedVersionRecord;
import dev.pawkit.sync.schemas.avro.PageMetadataRecord;
import dev.pawkit.sync.schemas.avro.RefreshMetadataCommand;
import dev.pawkit.sync.schemas.avro.UpdateCardCommand;
import dev.pawkit.sync.schemas.avro.VersionSource;

/** Maps commands as the log carries them (with who sent them and under which key) to command records and back. */
public final class CommandMapper {

    private CommandMapper() {
    }

    public static CardCommandRecord toRecord(CommandEnvelope envelope) {
        CardCommand command = envelope.command();
        return CardCommandRecord.newBuilder()
                .setCommandId(envelope.commandId())
                .setUserId(envelope.userId())
                .setCardId(command.cardId())
                .setIdempotencyKey(envelope.idempotencyKey())
                .setFingerprint(envelope.fingerprint())
                .setLegacyFingerprint(envelope.legacyFingerprint())
                .setClientId(envelope.clientId())
                .setActor(envelope.actor())
                .setExpectedVersion(expected(command))
                .setCommand(payload(command))
                .build();
    }

    public static CommandEnvelope toDomain(CardCommandRecord record) {
        return new CommandEnvelope(record.getCommandId(), record.getUserId(), record.getActor(),
                record.getIdempotencyKey(), record.getFingerprint(), record.getLegacyFingerprint(), record.getClientId(),
                command(record));
    }

    private static CardCommand command(CardCommandRecord record) {
        Object payload = record.getCommand();
        ExpectedVersion expected = expected(record.getExpectedVersion());
        if (payload instanceof CreateCardCommand create) {
            return new CreateCard(record.getCardId(), CardMapper.toDomain(create.getFields()));
        }
        if (payload instanceof UpdateCardCommand update) {
            return new UpdateCard(record.getCardId(), CardMapper.toDomain(update.getPatch()), expected);
        }
        if (payload instanceof DeleteCardCommand) {
            return new DeleteCard(record.getCardId(), expected);
        }
        if (payload instanceof RefreshMetadataCommand) {
            return new RefreshMetadata(record.getCardId());
        }
        if (payload instanceof ApplyMetadataCommand apply) {
            PageMetadataRecord page = apply.getPage();
            return new ApplyMetadata(record.getCardId(), apply.getForVersion(), page == null ? null
                    : new PageMetadata(page.getTitle(), page.getDescription(), page.getImage(), page.getSiteName(),
                            page.getFavicon()), apply.getFailure(), apply.getFetchedAt());
        }
        if (payload instanceof EraseUserCommand) {
            return new CardCommand.EraseUser();
        }
        throw new IllegalArgumentException("unknown command payload " + payload);
    }

    private static Object payload(CardCommand command) {
        if (command instanceof CreateCard create) {
            return new CreateCardCommand(CardMapper.toRecord(create.fields()));
        }
        if (command instanceof UpdateCard update) {
            return new UpdateCardCommand(CardMapper.toRecord(update.patch()));
        }
        if (command instanceof RefreshMetadata) {
            return new RefreshMetadataCommand();
        }
        if (command instanceof ApplyMetadata apply) {
            PageMetadata page = apply.page();
            return new ApplyMetadataCommand(apply.forVersion(), apply.fetchedAt(), page == null ? null
                    : PageMetadataRecord.newBuilder().setTitle(page.title()).setDescription(page.description())
                            .setImage(page.image()).setSiteName(page.siteName()).setFavicon(page.favicon()).build(),
                    apply.failure());
        }
        if (command instanceof CardCommand.EraseUser) {
            return new EraseUserCommand();
        }
        return new DeleteCardCommand();
    }

    private static ExpectedVersionRecord expected(CardCommand command) {
        ExpectedVersion expected = command instanceof UpdateCard update ? update.expected()
                : command instanceof DeleteCard delete ? delete.expected()
                : ExpectedVersion.any();
        if (expected instanceof ExpectedVersion.InBody body) {
            return new ExpectedVersionRecord(body.version(), VersionSource.BODY);
        }
        if (expected instanceof ExpectedVersion.IfMatch ifMatch) {
            return new ExpectedVersionRecord(ifMatch.version(), VersionSource.IF_MATCH);
        }
        return null;
    }

    private static ExpectedVersion expected(ExpectedVersionRecord record) {
        if (record == null) {
            return ExpectedVersion.any();
        }
        return record.getSource() == VersionSource.IF_MATCH
                ? new ExpectedVersion.IfMatch(record.getVersion())
                : new ExpectedVersion.InBody(record.getVersion());
    }
}
