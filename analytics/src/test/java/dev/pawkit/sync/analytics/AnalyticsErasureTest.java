package dev.pawkit.sync.analytics;

import static dev.pawkit.sync.analytics.AnalyticsFixture.DAY1;
import static dev.pawkit.sync.analytics.AnalyticsFixture.DAY2;
import static dev.pawkit.sync.analytics.AnalyticsFixture.bookmark;
import static dev.pawkit.sync.analytics.AnalyticsFixture.created;
import static dev.pawkit.sync.analytics.AnalyticsFixture.deleted;
import static dev.pawkit.sync.analytics.AnalyticsFixture.updated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.Edit;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasing a user (destroying their keys) and analytics: the user's own numbers and card facts
 * no longer open and read as none, the global numbers stay as they were, other users keep theirs,
 * and a user who writes again starts from nothing.
 */
class AnalyticsErasureTest {

    @TempDir
    Path stateDir;

    private AnalyticsFixture analytics;

    @BeforeEach
    void start() {
        analytics = new AnalyticsFixture(stateDir);
        analytics.append(created("ada", "a1", DAY1, bookmark("https://ada.example/x", "ada-tag")));
        analytics.append(created("ada", "a2", DAY1, bookmark("https://shared.example/y", "ada-tag", "both")));
        analytics.append(created("bob", "b1", DAY1, bookmark("https://shared.example/z", "both")));
    }

    @AfterEach
    void stop() {
        analytics.close();
    }

    @Test
    void afterErasureTheUsersNumbersAreNoneTheGlobalOnesStayAndOthersKeepTheirs() {
        Stats bobBefore = analytics.userStats("bob");
        Stats globalBefore = analytics.globalStats();
        assertThat(analytics.userStats("ada").tags()).isNotEmpty();

        analytics.destroyKeysOf("ada");

        Stats ada = analytics.userStats("ada");
        assertThat(ada.days()).isEmpty();
        assertThat(ada.topDomains()).isEmpty();
        assertThat(ada.tags()).isEmpty();
        assertThat(analytics.sealing().openFacts("ada",
                analytics.<byte[]>store(AnalyticsStores.CARD_FACTS).get(StatKeys.card("ada", "a1")))).isEmpty();
        assertThat(analytics.globalStats()).isEqualTo(globalBefore);
        assertThat(analytics.userStats("bob")).isEqualTo(bobBefore);
    }

    @Test
    void eventsOfAnErasedUserThatStillArriveCountNothing() {
        // Sealed before the keys were destroyed, counted after (analytics lagging behind): their
        // content does not open. The delete carries nothing personal and stays readable, but the
        // card's facts do not open: nothing is taken back from the global counts, nothing counted.
        analytics.append(updated("ada", "a1", 2, DAY2, new CardPatch(Edit.to("https://late.example/"), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep())));
        Stats globalBefore = analytics.globalStats();
        analytics.destroyKeysOf("ada");

        analytics.append(deleted("ada", "a2", 2, DAY2));
        analytics.append(updated("ada", "a1", 3, DAY2, new CardPatch(Edit.keep(), Edit.to("t"), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep())));

        assertThat(analytics.globalStats()).isEqualTo(globalBefore);
        assertThat(analytics.userStats("ada").days()).isEmpty();
    }

    @Test
    void aUserWritingAgainAfterErasureStartsFromNothing() {
        analytics.destroyKeysOf("ada");

        analytics.append(created("ada", "a3", DAY2, bookmark("https://new.example/", "fresh")));

        Stats ada = analytics.userStats("ada");
        assertThat(ada.days()).containsExactly(new Stats.DayCount("2025-03-02", 1, 0, 0));
        assertThat(ada.topDomains()).containsExactly(new Stats.Ranked("new.example", 1));
        assertThat(ada.tags()).containsExactly(new Stats.Ranked("fresh", 1));
        // Globally it adds to what was there.
        assertThat(analytics.globalStats().days()).containsExactly(new Stats.DayCount("2025-03-01", 3, 0, 0),
                new Stats.DayCount("2025-03-02", 1, 0, 0));
        assertThat(analytics.userStats("bob").tags()).containsExactly(new Stats.Ranked("both", 1));
    }
}
