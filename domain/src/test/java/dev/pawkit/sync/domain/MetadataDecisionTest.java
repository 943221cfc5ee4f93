package dev.pawkit.sync.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.CardCommand.ApplyMetadata;
import dev.pawkit.sync.domain.CardCommand.CreateCard;
import dev.pawkit.sync.domain.CardCommand.DeleteCard;
import dev.pawkit.sync.domain.CardCommand.RefreshMetadata;
import dev.pawkit.sync.domain.CardCommand.UpdateCard;
import dev.pawkit.sync.domain.CardEvent.CardCreated;
import dev.pawkit.sync.domain.CardEvent.CardUpdated;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Page metadata: requested by the card's own events, applied only as the answer to the request it waits for. */
class MetadataDecisionTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final String URL = "https://example.com/a";
    private static final CardFields LINK = new CardFields(CardType.URL, URL, "mine", null, null, List.of(),
            List.of(), false, Metadata.EMPTY);
    private static final PageMetadata PAGE = new PageMetadata("Example", "A page", "https://example.com/i.png",
            "Example Inc", "https://example.com/favicon.ico");

    private final List<CardEvent> history = new ArrayList<>();

    @Test
    void creatingAUrlCardRequestsItsPageAtVersion1() {
        CardCreated created = (CardCreated) only(when(new CreateCard("c1", LINK)));
        assertThat(created.fields().metadata().status()).isEqualTo(MetadataStatus.pending(URL, 1));
    }

    @Test
    void aNoteHasNoPageToFetch() {
        CardFields note = new CardFields(CardType.MD_NOTE, null, "n", null, null, List.of(), List.of(), false,
                Metadata.EMPTY);
        CardCreated created = (CardCreated) only(when(new CreateCard("c1", note)));
        assertThat(created.fields().metadata().status()).isNull();
        assertThat(rejection(when(new RefreshMetadata("c1")))).isInstanceOf(Rejection.InvalidCard.class);
    }

    @Test
    void theAnswerToThePendingRequestFillsTheMetadataOnlyAndGrowsTheVersionByOne() {
        given(new CreateCard("c1", LINK));
        CardUpdated updated = (CardUpdated) only(when(new ApplyMetadata("c1", 1, PAGE, null, T0.plusSeconds(2))));
        Card card = state();
        assertThat(updated.version()).isEqualTo(2);
        assertThat(card.fields().title()).as("the user's own title is untouched").isEqualTo("mine");
        assertThat(card.fields().metadata()).isEqualTo(new Metadata("A page", "https://example.com/i.png", "Example",
                "Example Inc", "https://example.com/favicon.ico",
                MetadataStatus.pending(URL, 1).fetched(T0.plusSeconds(2))));
    }

    @Test
    void aResultAppliedOnceChangesNothingTheSecondTime() {
        given(new CreateCard("c1", LINK), new ApplyMetadata("c1", 1, PAGE, null, T0));
        assertThat(when(new ApplyMetadata("c1", 1, PAGE, null, T0.plusSeconds(9)))).isEqualTo(
                new Decision.Accepted(List.of()));
    }

    @Test
    void aResultForAnOlderRequestChangesNothing() {
        given(new CreateCard("c1", LINK), new RefreshMetadata("c1"));
        assertThat(when(new ApplyMetadata("c1", 1, PAGE, null, T0))).isEqualTo(new Decision.Accepted(List.of()));
        assertThat(only(when(new ApplyMetadata("c1", 2, PAGE, null, T0))).version()).isEqualTo(3);
    }

    @Test
    void aFailureIsRecordedWithItsReasonAndKeepsWhatWasThere() {
        given(new CreateCard("c1", LINK), new ApplyMetadata("c1", 1, PAGE, null, T0), new RefreshMetadata("c1"));
        only(when(new ApplyMetadata("c1", 3, null, "HTTP 404", T0.plusSeconds(5))));
        Metadata metadata = state().fields().metadata();
        assertThat(metadata.status().state()).isEqualTo(MetadataStatus.State.FAILED);
        assertThat(metadata.status().reason()).isEqualTo("HTTP 404");
        assertThat(metadata.status().fetchedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(metadata.title()).isEqualTo("Example");
    }

    @Test
    void aRefreshIsANewRequestAtTheVersionItMakes() {
        given(new CreateCard("c1", LINK), new ApplyMetadata("c1", 1, PAGE, null, T0));
        CardUpdated refresh = (CardUpdated) only(when(new RefreshMetadata("c1")));
        assertThat(refresh.version()).isEqualTo(3);
        assertThat(state().fields().metadata().status()).isEqualTo(MetadataStatus.pending(URL, 3));
    }

    @Test
    void changingTheUrlRequestsTheNewPage() {
        given(new CreateCard("c1", LINK));
        CardPatch newUrl = new CardPatch(Edit.to("https://example.org/b"), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep());
        only(when(new UpdateCard("c1", newUrl, ExpectedVersion.any())));
        assertThat(state().fields().metadata().status()).isEqualTo(MetadataStatus.pending("https://example.org/b", 2));
    }

    @Test
    void aCardDeletedMeanwhileStaysDeleted() {
        given(new CreateCard("c1", LINK), new DeleteCard("c1", ExpectedVersion.any()));
        assertThat(rejection(when(new ApplyMetadata("c1", 1, PAGE, null, T0)))).isInstanceOf(Rejection.Gone.class);
        assertThat(rejection(when(new RefreshMetadata("c1")))).isInstanceOf(Rejection.Gone.class);
    }

    /** A page's metadata just outside one rule each, and the reason for it. */
    static Stream<Arguments> pagesOutsideTheRules() {
        String site = "https://example.com/";
        return Stream.of(
                Arguments.of(new PageMetadata("t".repeat(1001), null, null, null, null),
                        "metadata.title is limited to 1000 characters"),
                Arguments.of(new PageMetadata(null, "d".repeat(2001), null, null, null),
                        "metadata.description is limited to 2000 characters"),
                Arguments.of(new PageMetadata(null, null, "data:image/png;base64,AAAA", null, null),
                        "metadata.image must be an absolute http(s) URL"),
                Arguments.of(new PageMetadata(null, null, site + "i".repeat(2049 - site.length()), null, null),
                        "metadata.image is limited to 2048 characters"),
                Arguments.of(new PageMetadata(null, null, null, "s".repeat(1001), null),
                        "metadata.siteName is limited to 1000 characters"),
                Arguments.of(new PageMetadata(null, null, null, null, "/favicon.ico"),
                        "metadata.favicon must be an absolute http(s) URL"),
                Arguments.of(new PageMetadata(null, null, null, null, site + "f".repeat(2049 - site.length())),
                        "metadata.favicon is limited to 2048 characters"));
    }

    @ParameterizedTest
    @MethodSource("pagesOutsideTheRules")
    void aPageOutsideTheRulesIsRejectedAndChangesNothing(PageMetadata page, String reason) {
        given(new CreateCard("c1", LINK));
        Card before = state();

        assertThat(rejection(when(new ApplyMetadata("c1", 1, page, null, T0))))
                .isEqualTo(new Rejection.InvalidCard(reason));
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void aPageAtEveryLimitIsApplied() {
        String site = "https://example.com/";
        PageMetadata atLimits = new PageMetadata("t".repeat(1000), "d".repeat(2000),
                site + "i".repeat(2048 - site.length()), "s".repeat(1000), site + "f".repeat(2048 - site.length()));
        given(new CreateCard("c1", LINK));

        only(when(new ApplyMetadata("c1", 1, atLimits, null, T0)));

        Metadata metadata = state().fields().metadata();
        assertThat(new PageMetadata(metadata.title(), metadata.description(), metadata.image(), metadata.siteName(),
                metadata.favicon())).isEqualTo(atLimits);
    }

    @Test
    void aFailureReasonOverItsLimitIsRejectedAndOneAtItIsRecorded() {
        given(new CreateCard("c1", LINK));

        assertThat(rejection(when(new ApplyMetadata("c1", 1, null, "r".repeat(501), T0))))
                .isEqualTo(new Rejection.InvalidCard("metadataStatus.reason is limited to 500 characters"));
        assertThat(state().fields().metadata().status()).isEqualTo(MetadataStatus.pending(URL, 1));

        only(when(new ApplyMetadata("c1", 1, null, "r".repeat(500), T0)));
        assertThat(state().fields().metadata().status().reason()).isEqualTo("r".repeat(500));
    }

    @Test
    void aResultOutsideTheRulesIsRejectedEvenWhenNoLongerAwaited() {
        // Whether a result is still awaited depends on timing; whether it keeps the rules does not.
        given(new CreateCard("c1", LINK), new ApplyMetadata("c1", 1, PAGE, null, T0));

        assertThat(rejection(when(new ApplyMetadata("c1", 1, null, "r".repeat(501), T0))))
                .isInstanceOf(Rejection.InvalidCard.class);
    }

    private void given(CardCommand... commands) {
        for (CardCommand command : commands) {
            assertThat(when(command)).isInstanceOf(Decision.Accepted.class);
        }
    }

    /** Decides on the current state; accepted events join the history. */
    private Decision when(CardCommand command) {
        Decision decision = CardDecider.decide(state(), command, "u1", T0);
        if (decision instanceof Decision.Accepted accepted) {
            history.addAll(accepted.events());
        }
        return decision;
    }

    private Card state() {
        return CardDecider.evolveAll(null, history);
    }

    private static CardEvent only(Decision decision) {
        assertThat(decision).isInstanceOf(Decision.Accepted.class);
        List<CardEvent> events = ((Decision.Accepted) decision).events();
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private static Rejection rejection(Decision decision) {
        assertThat(decision).isInstanceOf(Decision.Rejected.class);
        return ((Decision.Rejected) decision).rejection();
    }
}
