package dev.pawkit.sync.schemas;

import dev.pawkit.sync.domain.Card;
import dev.pawkit.sync.domain.CommandOutcome;
import dev.pawkit.sync.domain.Rejection;
import dev.pawkit.sync.domain.log.OutcomeEnvelope;
import dev.pawkit.sync.schemas.avro.AppliedKind;
import dev.pawkit.sync.schemas.avro.AppliedResult;
import dev.pawkit.sync.schemas.avro.CardView;
import dev.pawkit.sync.schemas.avro.CommandOutcomeRecord;
import dev.pawkit.sync.schemas.avro.ErasedResult;
import dev.pawkit.sync.schemas.avro.RejectedResult;
import dev.pawkit.sync.schemas.avro.RejectionReason;

/** Maps rejections and outcomes between the domain and their Avro form (results topic, outcome store). */
public final class OutcomeMapper {

    private OutcomeMapper() {
    }

    public static CommandOutcomeRecord toRecord(OutcomeEnvelope envelope) {
        return CommandOutcomeRecord.newBuilder()
                .setCommandId(envelope.commandId())
                .setUserId(envelope.userId())
                .setCardId(envelope.cardId())
                .setReplayed(envelope.replayed())
                .setResult(toRecord(envelope.outcome(), envelope.changeSeq()))
                .setCommandOffset(envelope.commandOffset())
                .build();
    }

    public static OutcomeEnvelope toDomain(CommandOutcomeRecord record) {
        long changeSeq = record.getResult() instanceof AppliedResult applied ? applied.getCard().getChangeSeq() : 0;
        return new OutcomeEnvelope(record.getCommandId(), record.getUserId(), record.getCardId(),
                record.getReplayed(), toDomain(record.getResult(), record.getCardId()), changeSeq,
                record.getCommandOffset());
    }

    /** The Avro form of an outcome: an {@link AppliedResult}, an {@link ErasedResult} or a {@link RejectedResult}. */
    private static Object toRecord(CommandOutcome outcome, long changeSeq) {
        if (outcome instanceof CommandOutcome.Applied applied) {
            return new AppliedResult(AppliedKind.valueOf(applied.kind().name()),
                    CardMapper.toView(applied.card(), changeSeq));
        }
        if (outcome instanceof CommandOutcome.Erased erased) {
            return new ErasedResult(erased.cardsRemoved(), erased.keysDestroyed());
        }
        return toRecord(((CommandOutcome.Rejected) outcome).rejection());
    }

    private static RejectedResult toRecord(Rejection rejection) {
        if (rejection instanceof Rejection.NotFound) {
            return new RejectedResult(RejectionReason.NOT_FOUND, "", null);
        }
        if (rejection instanceof Rejection.Gone gone) {
            return new RejectedResult(RejectionReason.GONE, "", view(gone.current()));
        }
        if (rejection instanceof Rejection.VersionConflict conflict) {
            return new RejectedResult(RejectionReason.VERSION_CONFLICT, "", view(conflict.current()));
        }
        if (rejection instanceof Rejection.PreconditionFailed failed) {
            return new RejectedResult(RejectionReason.PRECONDITION_FAILED, "", view(failed.current()));
        }
        if (rejection instanceof Rejection.CardExists exists) {
            return new RejectedResult(RejectionReason.CARD_EXISTS, "", view(exists.current()));
        }
        if (rejection instanceof Rejection.InvalidCard invalid) {
            return new RejectedResult(RejectionReason.INVALID_CARD, invalid.reason(), null);
        }
        Rejection.IdempotencyKeyReused reused = (Rejection.IdempotencyKeyReused) rejection;
        return new RejectedResult(RejectionReason.IDEMPOTENCY_KEY_REUSED, reused.idempotencyKey(), null);
    }

    private static CommandOutcome toDomain(Object result, String cardId) {
        if (result instanceof AppliedResult applied) {
            return new CommandOutcome.Applied(CommandOutcome.Kind.valueOf(applied.getKind().name()),
                    CardMapper.toDomain(applied.getCard()));
        }
        if (result instanceof ErasedResult erased) {
            return new CommandOutcome.Erased(erased.getCardsRemoved(), erased.getKeysDestroyed());
        }
        RejectedResult rejected = (RejectedResult) result;
        Card current = rejected.getCurrentCard() == null ? null : CardMapper.toDomain(rejected.getCurrentCard());
        Rejection rejection = switch (rejected.getReason()) {
            case NOT_FOUND -> new Rejection.NotFound(cardId);
            case GONE -> new Rejection.Gone(current);
            case VERSION_CONFLICT -> new Rejection.VersionConflict(current);
            case PRECONDITION_FAILED -> new Rejection.PreconditionFailed(current);
            case CARD_EXISTS -> new Rejection.CardExists(current);
            case INVALID_CARD -> new Rejection.InvalidCard(rejected.getDetail());
            case IDEMPOTENCY_KEY_REUSED -> new Rejection.IdempotencyKeyReused(rejected.getDetail());
        };
        return new CommandOutcome.Rejected(rejection);
    }

    /** A card inside a rejection: its feed position does not matter there. */
    private static CardView view(Card card) {
        return CardMapper.toView(card, 0);
    }
}
