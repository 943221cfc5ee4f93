package dev.pawkit.sync.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Given a card's operation and the one queued after it, then what is sent for the two. Pure. */
class UnsentMergeTest {

    private static final CardFields SEEN = CardFields.note(CardType.MD_NOTE, "seen").withTitle("Before");
    private static final CardFields NEW = CardFields.note(CardType.MD_NOTE, "new");

    @Test
    void anUpdateAfterANeverSentCreateBecomesPartOfTheCreate() {
        UnsentMerge.Outcome outcome = UnsentMerge.of(create(), update(CardPatch.empty().title("Named")));

        assertThat(outcome).isEqualTo(new UnsentMerge.Rewrite(OperationKind.CREATE, NEW.withTitle("Named"), null));
    }

    @Test
    void twoNeverSentUpdatesBecomeOneWhereLaterValuesWin() {
        UnsentMerge.Outcome outcome = UnsentMerge.of(update(CardPatch.empty().title("First").notes("kept")),
                update(CardPatch.empty().title("Second").pinned(true)));

        assertThat(outcome).isEqualTo(new UnsentMerge.Rewrite(OperationKind.UPDATE, null,
                CardPatch.empty().title("Second").notes("kept").pinned(true)));
    }

    @Test
    void editsThatEndWhereTheyStartedLeaveNothingToSend() {
        UnsentMerge.Outcome outcome = UnsentMerge.of(update(CardPatch.empty().title("Typo")),
                update(CardPatch.empty().title("Before")));

        assertThat(outcome).isEqualTo(new UnsentMerge.DropBoth());
    }

    @Test
    void aDeleteAfterANeverSentCreateDropsBothTheCardNeverReachedTheServer() {
        assertThat(UnsentMerge.of(create(), delete())).isEqualTo(new UnsentMerge.DropBoth());
    }

    @Test
    void aDeleteAfterANeverSentUpdateReplacesIt() {
        assertThat(UnsentMerge.of(update(CardPatch.empty().title("Edited")), delete()))
                .isEqualTo(new UnsentMerge.Rewrite(OperationKind.DELETE, null, null));
    }

    @Test
    void nothingIsMergedIntoAnOperationThatWentOnTheWire() {
        Operation sent = new Operation(1, OperationKind.UPDATE, "card", "key-1", null, CardPatch.empty().title("x"), 3,
                SEEN, OperationStatus.RETRYING, 1, null, "HTTP 500", Instant.EPOCH, true);

        assertThat(UnsentMerge.of(sent, update(CardPatch.empty().title("y")))).isEqualTo(new UnsentMerge.Keep());
        assertThat(UnsentMerge.of(sent, delete())).isEqualTo(new UnsentMerge.Keep());
    }

    @Test
    void refreshesAndAnythingAfterADeleteAreNeverMerged() {
        Operation refresh = operation(OperationKind.REFRESH_METADATA, null, null);
        assertThat(UnsentMerge.of(refresh, update(CardPatch.empty().title("y")))).isEqualTo(new UnsentMerge.Keep());
        assertThat(UnsentMerge.of(update(CardPatch.empty().title("x")), refresh)).isEqualTo(new UnsentMerge.Keep());
        assertThat(UnsentMerge.of(delete(), update(CardPatch.empty().title("y")))).isEqualTo(new UnsentMerge.Keep());
    }

    private static Operation create() {
        return operation(OperationKind.CREATE, NEW, null);
    }

    private static Operation update(CardPatch patch) {
        return operation(OperationKind.UPDATE, null, patch);
    }

    private static Operation delete() {
        return operation(OperationKind.DELETE, null, null);
    }

    private static Operation operation(OperationKind kind, CardFields fields, CardPatch patch) {
        boolean create = kind == OperationKind.CREATE;
        return new Operation(1, kind, "card", "key", fields, patch, create ? 0 : 3, create ? null : SEEN,
                OperationStatus.PENDING, 0, null, null, Instant.EPOCH, false);
    }
}
