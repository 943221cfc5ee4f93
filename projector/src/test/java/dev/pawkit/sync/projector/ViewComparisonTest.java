package dev.pawkit.sync.projector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ViewComparisonTest {

    @Test
    void equalSnapshotsAreIdenticalAndEveryKeyIsCounted() {
        ViewComparison comparison = ViewComparison.of("cards", Map.of("a", 1L, "b", 2L), Map.of("b", 2L, "a", 1L));
        assertThat(comparison.compared()).isEqualTo(2);
        assertThat(comparison.identical()).isTrue();
    }

    @Test
    void aDifferentValueAMissingKeyAndAnExtraKeyAllDiffer() {
        ViewComparison comparison = ViewComparison.of("cards",
                Map.of("same", 1L, "changed", 2L, "only-live", 3L),
                Map.of("same", 1L, "changed", 9L, "only-rebuilt", 4L));
        assertThat(comparison.compared()).isEqualTo(4);
        assertThat(comparison.differing()).containsExactly("changed", "only-live", "only-rebuilt");
    }

    @Test
    void aRecheckOnNewerSnapshotsClearsWhatCaughtUpAndKeepsWhatStillDiffers() {
        ViewComparison first = ViewComparison.of("cards", Map.of("moving", 1L, "broken", 1L),
                Map.of("moving", 2L, "broken", 5L));
        ViewComparison again = first.recheck(Map.of("moving", 2L, "broken", 1L), Map.of("moving", 2L, "broken", 5L));
        assertThat(again.compared()).isEqualTo(2);
        assertThat(again.differing()).containsExactly("broken");
    }

    @Test
    void digestsOfEqualBytesAreEqualAndOfDifferentBytesDiffer() {
        assertThat(ChangelogSnapshot.digest(new byte[] {1, 2, 3})).isEqualTo(ChangelogSnapshot.digest(new byte[] {1, 2, 3}));
        assertThat(ChangelogSnapshot.digest(new byte[] {1, 2, 3})).isNotEqualTo(ChangelogSnapshot.digest(new byte[] {1, 2, 4}));
    }
}
