package dev.pawkit.sync.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three-way merge, field by field against the base; no server. */
class ThreeWayMergeTest {

    private final List<FieldConflict> asked = new ArrayList<>();
    private final ThreeWayMerge mineWins = new ThreeWayMerge(conflict -> {
        asked.add(conflict);
        return TrueConflictCallback.Side.MINE;
    });
    private final ThreeWayMerge theirsWin = new ThreeWayMerge(conflict -> {
        asked.add(conflict);
        return TrueConflictCallback.Side.THEIRS;
    });

    private static final CardFields BASE = CardFields.url("https://example.com").withTitle("Base")
            .withNotes("notes").withTags("a", "b");

    @Test
    void aFieldOnlyIChangedTakesMyValue() {
        CardFields theirs = BASE.withNotes("their notes");
        CardPatch merged = mineWins.merge("c", BASE, CardPatch.empty().title("Mine"), theirs);
        assertThat(merged).isEqualTo(CardPatch.empty().title("Mine"));
        assertThat(asked).isEmpty();
    }

    @Test
    void aFieldOnlyTheServerChangedKeepsTheServersValue() {
        CardFields theirs = BASE.withTitle("Theirs");
        CardPatch merged = mineWins.merge("c", BASE, CardPatch.empty().notes("my notes"), theirs);
        assertThat(merged).isEqualTo(CardPatch.empty().notes("my notes"));
        assertThat(merged.changes(CardField.TITLE)).isFalse();
    }

    @Test
    void bothChangingAFieldTheSameWayIsNoConflict() {
        CardPatch merged = mineWins.merge("c", BASE, CardPatch.empty().title("Same"), BASE.withTitle("Same"));
        assertThat(merged.isEmpty()).isTrue();
        assertThat(asked).isEmpty();
    }

    @Test
    void aTrueConflictAsksTheCallbackAndFollowsItsChoice() {
        CardFields theirs = BASE.withTitle("Theirs");
        CardPatch mine = CardPatch.empty().title("Mine");

        assertThat(mineWins.merge("c", BASE, mine, theirs)).isEqualTo(mine);
        assertThat(theirsWin.merge("c", BASE, mine, theirs).isEmpty()).isTrue();
        assertThat(asked).containsExactly(new FieldConflict("c", CardField.TITLE, "Base", "Mine", "Theirs"),
                new FieldConflict("c", CardField.TITLE, "Base", "Mine", "Theirs"));
    }

    @Test
    void tagsMergeAsSetsKeepingBothSidesAdditionsAndRemovals() {
        // I removed a and added c; they removed b and added d.
        CardFields theirs = BASE.withTags("a", "d");
        CardPatch merged = mineWins.merge("c", BASE, CardPatch.empty().tags("b", "c"), theirs);
        assertThat(merged.value(CardField.TAGS)).isEqualTo(List.of("d", "c"));
        assertThat(asked).isEmpty();
    }

    @Test
    void collectionsMergeAsSetsToo() {
        CardFields base = BASE.withCollections("inbox");
        CardFields theirs = base.withCollections("inbox", "work");
        CardPatch merged = mineWins.merge("c", base, CardPatch.empty().collections("inbox", "reading"), theirs);
        assertThat(merged.value(CardField.COLLECTIONS)).isEqualTo(List.of("inbox", "work", "reading"));
    }

    @Test
    void aSetMergeThatTheServerAlreadyHasSendsNothing() {
        CardFields theirs = BASE.withTags("a", "b", "c");
        assertThat(mineWins.merge("c", BASE, CardPatch.empty().tags("a", "b", "c"), theirs).isEmpty()).isTrue();
    }

    @Test
    void clearingAFieldOnlyIChangedClearsIt() {
        CardPatch merged = mineWins.merge("c", BASE, CardPatch.empty().notes(null), BASE.withTitle("Theirs"));
        assertThat(merged.changes(CardField.NOTES)).isTrue();
        assertThat(merged.value(CardField.NOTES)).isNull();
    }

    @Test
    void aDeletionOfAnUntouchedCardGoesAheadWithoutAsking() {
        ServerCard theirs = new ServerCard("c", 3, BASE, null, false, null);
        List<String> deletionsAsked = new ArrayList<>();
        ThreeWayMerge merge = new ThreeWayMerge(new TrueConflictCallback() {
            @Override
            public Side chooseField(FieldConflict conflict) {
                return Side.MINE;
            }

            @Override
            public Side chooseDeletion(String cardId, CardFields base, ServerCard server) {
                deletionsAsked.add(cardId);
                return Side.THEIRS;
            }
        });
        assertThat(merge.resolve(new Conflict(OperationKind.DELETE, "c", BASE, null, theirs)))
                .isInstanceOf(Resolution.SendMine.class);
        assertThat(merge.resolve(new Conflict(OperationKind.DELETE, "c", BASE, null,
                new ServerCard("c", 4, BASE.withTitle("Edited"), null, false, null))))
                .isInstanceOf(Resolution.TakeServer.class);
        assertThat(deletionsAsked).containsExactly("c");
    }

    @Test
    void anUpdateConflictResolvesToTheMergedPatch() {
        ServerCard theirs = new ServerCard("c", 2, BASE.withTitle("Theirs"), null, false, null);
        Resolution resolution = mineWins.resolve(new Conflict(OperationKind.UPDATE, "c", BASE,
                CardPatch.empty().notes("mine").pinned(true), theirs));
        assertThat(resolution).isEqualTo(new Resolution.Send(CardPatch.empty().notes("mine").pinned(true)));
    }
}
