package dev.pawkit.sync.analytics.counting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A user's counters as one value: moves add up per stat and key, and a counter at 0 is gone. */
class UserCountsTest {

    @Test
    void movesAddUpPerStatAndKey() {
        UserCounts counts = UserCounts.none()
                .plus(List.of(new StatDelta(Stat.CREATED, "2025-03-01", 1), new StatDelta(Stat.TAG, "read", 1)))
                .plus(List.of(new StatDelta(Stat.CREATED, "2025-03-01", 1), new StatDelta(Stat.TAG, "read", 1),
                        new StatDelta(Stat.DOMAIN, "example.com", 1)));

        assertThat(counts.of(Stat.CREATED)).containsExactly(Map.entry("2025-03-01", 2L));
        assertThat(counts.of(Stat.TAG)).containsExactly(Map.entry("read", 2L));
        assertThat(counts.of(Stat.DOMAIN)).containsExactly(Map.entry("example.com", 1L));
        assertThat(counts.of(Stat.DELETED)).isEmpty();
    }

    @Test
    void aCounterAtZeroIsRemovedAndCountsWithNothingEqualNone() {
        UserCounts counts = UserCounts.none().plus(List.of(new StatDelta(Stat.TAG, "t", 1)))
                .plus(List.of(new StatDelta(Stat.TAG, "t", -1)));

        assertThat(counts.of(Stat.TAG)).isEmpty();
        assertThat(counts).isEqualTo(UserCounts.none());
    }

    @Test
    void plusLeavesTheOriginalAsItWas() {
        UserCounts one = UserCounts.none().plus(List.of(new StatDelta(Stat.TAG, "t", 1)));
        one.plus(List.of(new StatDelta(Stat.TAG, "t", 1)));

        assertThat(one.of(Stat.TAG)).containsExactly(Map.entry("t", 1L));
    }

    @Test
    void itsTextNamesNoTag() {
        assertThat(UserCounts.none().plus(List.of(new StatDelta(Stat.TAG, "secret-tag", 1))).toString())
                .doesNotContain("secret-tag");
    }
}
