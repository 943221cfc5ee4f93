package dev.pawkit.sync.analytics.counting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.domain.CardEvent.CardCreated;
import dev.pawkit.sync.domain.CardEvent.CardDeleted;
import dev.pawkit.sync.domain.CardEvent.CardUpdated;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.Edit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What each event does to the counters, one rule per test: given the card's earlier events (folded
 * into facts by the decider itself), when this event comes, then these counter moves.
 */
class StatsDeciderTest {

    private static final String OWNER = "user-ada";
    private static final String CARD = "card-1";
    private static final Instant DAY1 = Instant.parse("2025-03-01T09:00:00Z");
    private static final Instant DAY1_LATE = Instant.parse("2025-03-01T23:59:59.999Z");
    private static final Instant DAY2 = Instant.parse("2025-03-02T00:00:00Z");

    // ---- created ----

    @Test
    void aCreatedUrlCardCountsOnItsUtcDayUnderItsDomainAndEachTag() {
        given()
                .when(created(DAY1_LATE, bookmark("https://www.Example.COM/a?b=c", "read", "java")))
                .thenDeltas(
                        new StatDelta(Stat.CREATED, "2025-03-01", 1),
                        new StatDelta(Stat.DOMAIN, "example.com", 1),
                        new StatDelta(Stat.TAG, "java", 1),
                        new StatDelta(Stat.TAG, "read", 1))
                .thenFacts(new CardFacts(CardType.URL, "example.com", List.of("java", "read")));
    }

    @Test
    void aNoteCountsItsTagsButNoDomainEvenWithAUrl() {
        given()
                .when(created(DAY1, new CardFields(CardType.MD_NOTE, "https://example.com", "t", null, null,
                        List.of("ideas"), List.of(), false, null)))
                .thenDeltas(new StatDelta(Stat.CREATED, "2025-03-01", 1), new StatDelta(Stat.TAG, "ideas", 1));
    }

    // ---- updated ----

    @Test
    void anUpdateOfTheTitleOnlyCountsAsAnUpdateOfItsDay() {
        given(created(DAY1, bookmark("https://example.com", "read")))
                .when(updated(2, DAY2, patch().title(Edit.to("new title"))))
                .thenDeltas(new StatDelta(Stat.UPDATED, "2025-03-02", 1))
                .thenFacts(new CardFacts(CardType.URL, "example.com", List.of("read")));
    }

    @Test
    void aNewUrlMovesTheCardFromItsOldDomainToTheNewOne() {
        given(created(DAY1, bookmark("https://example.com/x", "read")))
                .when(updated(2, DAY1, patch().url(Edit.to("https://news.example.org/y"))))
                .thenDeltas(
                        new StatDelta(Stat.UPDATED, "2025-03-01", 1),
                        new StatDelta(Stat.DOMAIN, "example.com", -1),
                        new StatDelta(Stat.DOMAIN, "news.example.org", 1));
    }

    @Test
    void aNewUrlOnTheSameDomainMovesNothing() {
        given(created(DAY1, bookmark("https://example.com/x")))
                .when(updated(2, DAY1, patch().url(Edit.to("http://WWW.example.com/other"))))
                .thenDeltas(new StatDelta(Stat.UPDATED, "2025-03-01", 1));
    }

    @Test
    void newTagsTakeBackTheRemovedOnesAndCountTheAddedOnes() {
        given(created(DAY1, bookmark("https://example.com", "a", "b")))
                .when(updated(2, DAY1, patch().tags(Edit.to(List.of("b", "c")))))
                .thenDeltas(
                        new StatDelta(Stat.UPDATED, "2025-03-01", 1),
                        new StatDelta(Stat.TAG, "a", -1),
                        new StatDelta(Stat.TAG, "c", 1))
                .thenFacts(new CardFacts(CardType.URL, "example.com", List.of("b", "c")));
    }

    @Test
    void aMetadataOnlyUpdateIsAnUpdateThatMovesNoLiveCounter() {
        given(created(DAY1, bookmark("https://example.com", "a")))
                .when(new CardUpdated(CARD, OWNER, 2, DAY2,
                        CardPatch.fetchRequested("https://example.com", 2)))
                .thenDeltas(new StatDelta(Stat.UPDATED, "2025-03-02", 1));
    }

    @Test
    void anUpdateOfACardNeverSeenCreatedCountsNothing() {
        // Its creation was unreadable: a card of an erased user.
        given()
                .when(updated(5, DAY1, patch().tags(Edit.to(List.of("x")))))
                .thenDeltas()
                .thenFacts(null);
    }

    // ---- deleted ----

    @Test
    void aDeletedCardTakesBackItsDomainAndTagsAsTheyWereLast() {
        given(created(DAY1, bookmark("https://example.com", "a")),
                updated(2, DAY1, patch().url(Edit.to("https://other.example")).tags(Edit.to(List.of("b")))))
                .when(new CardDeleted(CARD, OWNER, 3, DAY2))
                .thenDeltas(
                        new StatDelta(Stat.DELETED, "2025-03-02", 1),
                        new StatDelta(Stat.DOMAIN, "other.example", -1),
                        new StatDelta(Stat.TAG, "b", -1))
                .thenFacts(null);
    }

    @Test
    void aDeleteOfACardNeverSeenCreatedCountsNothing() {
        // Deletes carry nothing personal and stay readable after erasure: they must not bring an
        // erased user's numbers back.
        given()
                .when(new CardDeleted(CARD, OWNER, 3, DAY2))
                .thenDeltas()
                .thenFacts(null);
    }

    // ---- what is counted globally ----

    @Test
    void tagsAreNeverCountedGloballyDaysAndDomainsAre() {
        StatsDecider.Counted counted = StatsDecider.decide(null, created(DAY1, bookmark("https://example.com", "a")));
        assertThat(counted.deltas()).contains(new StatDelta(Stat.TAG, "a", 1));
        assertThat(counted.globalDeltas()).containsExactly(new StatDelta(Stat.CREATED, "2025-03-01", 1),
                new StatDelta(Stat.DOMAIN, "example.com", 1));
    }

    @Test
    void theSameEventsGiveTheSameDeltas() {
        List<CardEvent> log = List.of(created(DAY1, bookmark("https://a.example", "x", "y")),
                updated(2, DAY1, patch().tags(Edit.to(List.of("y", "z")))), new CardDeleted(CARD, OWNER, 3, DAY2));
        assertThat(replay(log)).isEqualTo(replay(log));
    }

    // ---- given / when / then ----

    private static Given given(CardEvent... earlier) {
        CardFacts facts = null;
        for (CardEvent event : earlier) {
            facts = StatsDecider.decide(facts, event).after();
        }
        return new Given(facts);
    }

    private record Given(CardFacts facts) {
        Then when(CardEvent event) {
            return new Then(StatsDecider.decide(facts, event));
        }
    }

    private record Then(StatsDecider.Counted counted) {
        Then thenDeltas(StatDelta... expected) {
            assertThat(counted.deltas()).containsExactly(expected);
            return this;
        }

        Then thenFacts(CardFacts expected) {
            assertThat(counted.after()).isEqualTo(expected);
            return this;
        }
    }

    private static List<StatDelta> replay(List<CardEvent> events) {
        List<StatDelta> all = new ArrayList<>();
        CardFacts facts = null;
        for (CardEvent event : events) {
            StatsDecider.Counted counted = StatsDecider.decide(facts, event);
            all.addAll(counted.deltas());
            facts = counted.after();
        }
        return all;
    }

    private static CardCreated created(Instant at, CardFields fields) {
        return new CardCreated(CARD, OWNER, 1, at, fields);
    }

    private static CardUpdated updated(long version, Instant at, PatchBuilder patch) {
        return new CardUpdated(CARD, OWNER, version, at, patch.build());
    }

    private static CardFields bookmark(String url, String... tags) {
        return new CardFields(CardType.URL, url, "title", null, null, List.of(tags), List.of(), false, null);
    }

    private static PatchBuilder patch() {
        return new PatchBuilder();
    }

    /** A user's patch, only the fields analytics cares about. */
    private static final class PatchBuilder {
        private Edit<String> url = Edit.keep();
        private Edit<String> title = Edit.keep();
        private Edit<List<String>> tags = Edit.keep();

        PatchBuilder url(Edit<String> edit) {
            this.url = edit;
            return this;
        }

        PatchBuilder title(Edit<String> edit) {
            this.title = edit;
            return this;
        }

        PatchBuilder tags(Edit<List<String>> edit) {
            this.tags = edit;
            return this;
        }

        CardPatch build() {
            return new CardPatch(url, title, Edit.keep(), Edit.keep(), tags, Edit.keep(), Edit.keep(), Edit.keep(),
                    Edit.keep());
        }
    }
}
