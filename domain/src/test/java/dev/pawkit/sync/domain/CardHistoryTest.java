package dev.pawkit.sync.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.CardEvent.CardCreated;
import dev.pawkit.sync.domain.CardEvent.CardDeleted;
import dev.pawkit.sync.domain.CardEvent.CardUpdated;
import dev.pawkit.sync.domain.CardHistory.FieldChange;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CardHistoryTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final CardFields NOTE = new CardFields(CardType.MD_NOTE, null, "first", null, null,
            List.of("a"), List.of(), false, Metadata.EMPTY);

    private final List<CardEvent> life = List.of(
            new CardCreated("c1", "u1", 1, T0, NOTE),
            new CardUpdated("c1", "u1", 2, T0.plusSeconds(10), patchTitleAndTags("second", List.of("a", "b"))),
            new CardDeleted("c1", "u1", 3, T0.plusSeconds(20)));

    @Test
    void aCreationShowsEveryFieldItSetFromNothing() {
        assertThat(CardHistory.entries(life).get(0).changes()).containsExactly(
                new FieldChange("type", null, "md-note"),
                new FieldChange("title", null, "first"),
                new FieldChange("tags", List.of(), List.of("a")));
    }

    @Test
    void anUpdateShowsOnlyTheFieldsItChangedWithTheirFormerValues() {
        assertThat(CardHistory.entries(life).get(1).changes()).containsExactly(
                new FieldChange("title", "first", "second"),
                new FieldChange("tags", List.of("a"), List.of("a", "b")));
    }

    @Test
    void aDeletionShowsTheCardGoing() {
        assertThat(CardHistory.entries(life).get(2).changes())
                .containsExactly(new FieldChange("deleted", false, true));
        assertThat(CardHistory.kind(life.get(2))).isEqualTo("deleted");
    }

    @Test
    void atVersionIsTheCardRightAfterThatVersionAndNothingForAVersionItNeverHad() {
        assertThat(CardHistory.atVersion(life, 1).orElseThrow().fields().title()).isEqualTo("first");
        assertThat(CardHistory.atVersion(life, 2).orElseThrow().fields().title()).isEqualTo("second");
        assertThat(CardHistory.atVersion(life, 3).orElseThrow().deleted()).isTrue();
        assertThat(CardHistory.atVersion(life, 4)).isEmpty();
    }

    @Test
    void atTimeIsTheCardCurrentThenATombstoneOnceDeletedAndNothingBeforeItsCreation() {
        assertThat(CardHistory.atTime(life, T0.minusMillis(1))).isEmpty();
        assertThat(CardHistory.atTime(life, T0).orElseThrow().version()).isEqualTo(1);
        assertThat(CardHistory.atTime(life, T0.plusSeconds(15)).orElseThrow().version()).isEqualTo(2);
        assertThat(CardHistory.atTime(life, T0.plusSeconds(20)).orElseThrow().deleted()).isTrue();
    }

    private static CardPatch patchTitleAndTags(String title, List<String> tags) {
        return new CardPatch(Edit.keep(), Edit.to(title), Edit.keep(), Edit.keep(), Edit.to(tags), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep());
    }
}
