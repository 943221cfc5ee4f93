package dev.pawkit.sync.analytics;

import static dev.pawkit.sync.analytics.AnalyticsFixture.DAY1;
import static dev.pawkit.sync.analytics.AnalyticsFixture.DAY2;
import static dev.pawkit.sync.analytics.AnalyticsFixture.bookmark;
import static dev.pawkit.sync.analytics.AnalyticsFixture.created;
import static dev.pawkit.sync.analytics.AnalyticsFixture.deleted;
import static dev.pawkit.sync.analytics.AnalyticsFixture.note;
import static dev.pawkit.sync.analytics.AnalyticsFixture.updated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.analytics.counting.CardFacts;
import dev.pawkit.sync.analytics.counting.Stat;
import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.Edit;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics topology, one behaviour per test: card events in, sealed under their owners' keys
 * as the projector writes them, and the numbers read from the user and global stores exactly as the
 * API reads them.
 */
class AnalyticsTopologyTest {

    @TempDir
    Path stateDir;

    private AnalyticsFixture analytics;

    @BeforeEach
    void start() {
        analytics = new AnalyticsFixture(stateDir);
    }

    @AfterEach
    void stop() {
        analytics.close();
    }

    @Test
    void createdCardsCountForTheirOwnerOnTheirDayWithTheirDomainAndTags() {
        analytics.append(created("ada", "c1", DAY1, bookmark("https://www.example.com/a", "read", "java")));
        analytics.append(created("ada", "c2", DAY1, bookmark("https://example.com/b", "read")));
        analytics.append(created("ada", "c3", DAY2, note("ideas")));

        Stats ada = analytics.userStats("ada");
        assertThat(ada.days()).containsExactly(new Stats.DayCount("2025-03-01", 2, 0, 0),
                new Stats.DayCount("2025-03-02", 1, 0, 0));
        assertThat(ada.topDomains()).containsExactly(new Stats.Ranked("example.com", 2));
        assertThat(ada.tags()).containsExactly(new Stats.Ranked("read", 2), new Stats.Ranked("ideas", 1),
                new Stats.Ranked("java", 1));
    }

    @Test
    void changedUrlsAndTagsMoveTheCountsAndDeletesTakeThemBack() {
        analytics.append(created("ada", "c1", DAY1, bookmark("https://example.com/a", "read")));
        analytics.append(created("ada", "c2", DAY1, bookmark("https://example.com/b", "read")));
        analytics.append(updated("ada", "c1", 2, DAY2, new CardPatch(Edit.to("https://news.example.org/"), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.to(List.of("later")), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.keep())));
        analytics.append(deleted("ada", "c2", 2, DAY2));

        Stats ada = analytics.userStats("ada");
        assertThat(ada.days()).containsExactly(new Stats.DayCount("2025-03-01", 2, 0, 0),
                new Stats.DayCount("2025-03-02", 0, 1, 1));
        assertThat(ada.topDomains()).containsExactly(new Stats.Ranked("news.example.org", 1));
        assertThat(ada.tags()).containsExactly(new Stats.Ranked("later", 1));
    }

    @Test
    void globalNumbersAddUpEveryUsersDaysAndDomainsButNoTagsAndUsersOnlySeeTheirOwn() {
        analytics.append(created("ada", "c1", DAY1, bookmark("https://example.com/a", "read")));
        analytics.append(created("bob", "c1", DAY1, bookmark("https://example.com/b", "read", "music")));
        analytics.append(created("bob", "c2", DAY1, bookmark("https://other.example/", "music")));
        analytics.append(deleted("ada", "c1", 2, DAY2));

        assertThat(analytics.userStats("ada").topDomains()).isEmpty();
        assertThat(analytics.userStats("ada").tags()).isEmpty();
        assertThat(analytics.userStats("ada").days()).containsExactly(new Stats.DayCount("2025-03-01", 1, 0, 0),
                new Stats.DayCount("2025-03-02", 0, 0, 1));
        assertThat(analytics.userStats("bob").topDomains()).containsExactly(new Stats.Ranked("example.com", 1),
                new Stats.Ranked("other.example", 1));
        assertThat(analytics.userStats("bob").tags()).containsExactly(new Stats.Ranked("music", 2),
                new Stats.Ranked("read", 1));
        Stats global = analytics.globalStats();
        assertThat(global.days()).containsExactly(new Stats.DayCount("2025-03-01", 3, 0, 0),
                new Stats.DayCount("2025-03-02", 0, 0, 1));
        assertThat(global.topDomains()).containsExactly(new Stats.Ranked("example.com", 1),
                new Stats.Ranked("other.example", 1));
        assertThat(global.tags()).isEmpty();
    }

    @Test
    void sameCardIdOfTwoUsersAreTwoCards() {
        analytics.append(created("ada", "same", DAY1, bookmark("https://a.example", "x")));
        analytics.append(created("bob", "same", DAY1, bookmark("https://b.example", "x")));
        analytics.append(deleted("bob", "same", 2, DAY1));

        assertThat(analytics.userStats("ada").tags()).containsExactly(new Stats.Ranked("x", 1));
        assertThat(analytics.userStats("bob").tags()).isEmpty();
        assertThat(analytics.globalStats().topDomains()).containsExactly(new Stats.Ranked("a.example", 1));
    }

    @Test
    void theTopIsTheHighestCountsFirstThenByNameAndDaysStartAtTheAskedDay() {
        analytics.append(created("ada", "c1", DAY1, bookmark("https://b.example", "t")));
        analytics.append(created("ada", "c2", DAY2, bookmark("https://b.example", "t")));
        analytics.append(created("ada", "c3", DAY2, bookmark("https://a.example", "t")));
        analytics.append(created("ada", "c4", DAY2, bookmark("https://c.example", "t")));

        Stats top2 = StatsQuery.user(analytics.store(AnalyticsStores.USER_STATS), analytics.sealing(),
                "ada", LocalDate.parse("2025-03-02"), 2);
        assertThat(top2.topDomains()).containsExactly(new Stats.Ranked("b.example", 2),
                new Stats.Ranked("a.example", 1));
        assertThat(top2.days()).containsExactly(new Stats.DayCount("2025-03-02", 3, 0, 0));
        Stats globalTop2 = StatsQuery.global(analytics.store(AnalyticsStores.GLOBAL_STATS),
                LocalDate.parse("2025-03-02"), 2);
        assertThat(globalTop2.topDomains()).isEqualTo(top2.topDomains());
        assertThat(globalTop2.days()).isEqualTo(top2.days());
    }

    @Test
    void countersAtZeroAreRemovedNotKeptAsZero() {
        analytics.append(created("ada", "c1", DAY1, bookmark("https://a.example", "t")));
        analytics.append(deleted("ada", "c1", 2, DAY1));

        KeyValueStore<String, Long> store = analytics.store(AnalyticsStores.GLOBAL_STATS);
        assertThat(store.get(StatKeys.counter(StatKeys.GLOBAL_SCOPE, Stat.DOMAIN, "a.example"))).isNull();
        assertThat(analytics.store(AnalyticsStores.CARD_FACTS).get(StatKeys.card("ada", "c1"))).isNull();
        assertThat(analytics.userStats("ada").tags()).isEmpty();
    }

    @Test
    void valuesThatDoNotOpenAreIgnoredAndNeverStopTheTask() {
        // Card facts in the clear format of before sealing, and counters that are not sealed bytes.
        KeyValueStore<String, byte[]> facts = analytics.store(AnalyticsStores.CARD_FACTS);
        facts.put(StatKeys.card("ada", "old"), AnalyticsSerdes.facts().serializer().serialize(null,
                new CardFacts(CardType.URL, "old.example", List.of("old"))));
        KeyValueStore<String, byte[]> counts = analytics.store(AnalyticsStores.USER_STATS);
        counts.put("ada", new byte[] {2, 0});

        analytics.append(deleted("ada", "old", 2, DAY1));
        analytics.append(created("ada", "c1", DAY1, bookmark("https://a.example", "t")));

        assertThat(analytics.userStats("ada").days()).containsExactly(new Stats.DayCount("2025-03-01", 1, 0, 0));
        assertThat(analytics.userStats("ada").tags()).containsExactly(new Stats.Ranked("t", 1));
        assertThat(analytics.globalStats().days()).containsExactly(new Stats.DayCount("2025-03-01", 1, 0, 0));
    }

}
