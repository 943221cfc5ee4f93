package dev.pawkit.sync.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.Card;
import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CardDecider;
import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.Decision;
import dev.pawkit.sync.domain.Edit;
import dev.pawkit.sync.domain.ExpectedVersion;
import dev.pawkit.sync.domain.Metadata;
import dev.pawkit.sync.domain.PageMetadata;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which events ask for a page, on events the real decider makes. */
class FetchRequestTest {

    private static final Instant T0 = Instant.parse("2025-05-01T10:00:00Z");
    private static final CardFields LINK = new CardFields(CardType.URL, "https://example.com/a", "A", null, null,
            List.of(), List.of(), false, Metadata.EMPTY);
    private static final CardFields NOTE = new CardFields(CardType.MD_NOTE, null, "N", null, "text",
            List.of(), List.of(), false, Metadata.EMPTY);

    private Card card;

    private Optional<FetchRequest> when(CardCommand command) {
        Decision.Accepted accepted = (Decision.Accepted) CardDecider.decide(card, command, "alice", T0);
        if (accepted.events().isEmpty()) {
            return Optional.empty();
        }
        CardEvent event = accepted.events().get(0);
        card = CardDecider.evolve(card, event);
        return FetchRequest.of(event);
    }

    @Test
    void creatingAUrlCardAsksForItsPageAtVersionOne() {
        assertThat(when(new CardCommand.CreateCard("c1", LINK)))
                .contains(new FetchRequest("alice", "c1", 1, "https://example.com/a"));
        assertThat(new FetchRequest("alice", "c1", 1, "https://example.com/a").idempotencyKey())
                .isEqualTo("metadata:c1:1");
    }

    @Test
    void notesAskForNothing() {
        assertThat(when(new CardCommand.CreateCard("n1", NOTE))).isEmpty();
    }

    @Test
    void theAnswerAndOrdinaryEditsAskForNothing() {
        when(new CardCommand.CreateCard("c1", LINK));
        assertThat(when(new CardCommand.ApplyMetadata("c1", 1, new PageMetadata("T", null, null, null, null), null,
                T0))).isEmpty();
        assertThat(when(new CardCommand.UpdateCard("c1", titled("new title"), ExpectedVersion.any()))).isEmpty();
    }

    @Test
    void aUrlChangeAndARefreshEachAskAtTheirOwnVersion() {
        when(new CardCommand.CreateCard("c1", LINK));
        assertThat(when(new CardCommand.UpdateCard("c1", urlTo("https://example.com/b"), ExpectedVersion.any())))
                .contains(new FetchRequest("alice", "c1", 2, "https://example.com/b"));
        assertThat(when(new CardCommand.RefreshMetadata("c1")))
                .contains(new FetchRequest("alice", "c1", 3, "https://example.com/b"));
    }

    @Test
    void aDeletionAsksForNothing() {
        when(new CardCommand.CreateCard("c1", LINK));
        assertThat(when(new CardCommand.DeleteCard("c1", ExpectedVersion.any()))).isEmpty();
    }

    private static CardPatch titled(String title) {
        return new CardPatch(Edit.keep(), Edit.to(title), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep());
    }

    private static CardPatch urlTo(String url) {
        return new CardPatch(Edit.to(url), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep());
    }
}
