package dev.pawkit.sync.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.CardCommand.UpdateCard;
import dev.pawkit.sync.domain.CardEvent.CardCreated;
import dev.pawkit.sync.domain.CardEvent.CardUpdated;
import dev.pawkit.sync.domain.Decision.Accepted;
import dev.pawkit.sync.domain.Decision.Rejected;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An update naming a version the card has left is accepted when only the system changed the card
 * since (the enricher's page metadata) and none of its changes set a field the update sets;
 * every other stale version stays a conflict.
 */
class NoFalseConflictsTest {

    private static final String OWNER = "user-ada";
    private static final String CARD = "card-1";
    private static final Instant AT = Instant.parse("2025-03-04T12:30:00Z");
    private static final CardPatch METADATA = CardPatch.fetched(
            new PageMetadata("Cats", "All about cats", "https://example.com/cat.png", "Example", null),
            MetadataStatus.pending("https://example.com/cats", 1).fetched(AT));

    /** The url card after its creation (version 1) and the enricher's metadata (version 2). */
    private final Card enriched = CardDecider.evolveAll(null, List.of(
            new CardCreated(CARD, OWNER, 1, AT, new CardFields(CardType.URL, "https://example.com/cats", null, null,
                    null, List.of(), List.of(), false, Metadata.EMPTY).withMetadataStatus(
                            MetadataStatus.pending("https://example.com/cats", 1))),
            new CardUpdated(CARD, OWNER, 2, AT, METADATA)));

    private final List<Long> asked = new ArrayList<>();

    private ChangesAfter systemChanged(Set<String> fields) {
        return version -> {
            asked.add(version);
            return new LaterChanges(true, fields);
        };
    }

    @Test
    void anUpdateBasedOnTheVersionBeforeTheEnrichersMetadataAppliesAtTheNextVersion() {
        Decision decision = CardDecider.decide(enriched, update(titleTo("My cats"), new ExpectedVersion.IfMatch(1)),
                OWNER, AT, systemChanged(METADATA.fieldNames()));

        assertThat(decision).isEqualTo(new Accepted(List.of(new CardUpdated(CARD, OWNER, 3, AT, titleTo("My cats")))));
        assertThat(asked).containsExactly(1L);
    }

    @Test
    void theSameHoldsForAVersionInTheBody() {
        Decision decision = CardDecider.decide(enriched, update(titleTo("My cats"), new ExpectedVersion.InBody(1)),
                OWNER, AT, systemChanged(METADATA.fieldNames()));

        assertThat(decision).isInstanceOf(Accepted.class);
    }

    @Test
    void anUpdateOfAFieldTheSystemChangedStaysAConflict() {
        CardPatch description = new CardPatch(Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.to("My description"), Edit.keep());

        assertThat(CardDecider.decide(enriched, update(description, new ExpectedVersion.IfMatch(1)), OWNER, AT,
                systemChanged(METADATA.fieldNames())))
                .isEqualTo(new Rejected(new Rejection.PreconditionFailed(enriched)));
        assertThat(CardDecider.decide(enriched, update(description, new ExpectedVersion.InBody(1)), OWNER, AT,
                systemChanged(METADATA.fieldNames())))
                .isEqualTo(new Rejected(new Rejection.VersionConflict(enriched)));
    }

    @Test
    void aChangeByTheOwnerSinceTheNamedVersionStaysAConflict() {
        ChangesAfter ownerChanged = version -> new LaterChanges(false, Set.of("pinned"));

        assertThat(CardDecider.decide(enriched, update(titleTo("My cats"), new ExpectedVersion.IfMatch(1)), OWNER, AT,
                ownerChanged))
                .isEqualTo(new Rejected(new Rejection.PreconditionFailed(enriched)));
    }

    @Test
    void withoutAHistoryEveryStaleVersionIsAConflict() {
        assertThat(CardDecider.decide(enriched, update(titleTo("My cats"), new ExpectedVersion.IfMatch(1)), OWNER, AT))
                .isEqualTo(new Rejected(new Rejection.PreconditionFailed(enriched)));
    }

    @Test
    void aVersionAheadOfTheCardOrNoneAtAllIsNeverExcused() {
        assertThat(CardDecider.decide(enriched, update(titleTo("My cats"), new ExpectedVersion.IfMatch(3)), OWNER, AT,
                systemChanged(Set.of())))
                .isEqualTo(new Rejected(new Rejection.PreconditionFailed(enriched)));
        assertThat(CardDecider.decide(enriched, update(titleTo("My cats"), new ExpectedVersion.InBody(0)), OWNER, AT,
                systemChanged(Set.of())))
                .isEqualTo(new Rejected(new Rejection.VersionConflict(enriched)));
        assertThat(asked).isEmpty();
    }

    @Test
    void aCurrentVersionNeverReadsTheHistory() {
        assertThat(CardDecider.decide(enriched, update(titleTo("My cats"), new ExpectedVersion.IfMatch(2)), OWNER, AT,
                systemChanged(Set.of())))
                .isInstanceOf(Accepted.class);
        assertThat(asked).isEmpty();
    }

    @Test
    void aPatchNamesTheFieldsItSetsOrClears() {
        CardPatch patch = new CardPatch(Edit.to(null), Edit.to("t"), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.to(true), Edit.keep(), Edit.keep());

        assertThat(patch.fieldNames()).containsExactly("url", "title", "pinned");
        assertThat(METADATA.fieldNames()).containsExactlyInAnyOrder("metadataDescription", "metadataImage",
                "metadataTitle", "metadataSiteName", "metadataFavicon", "metadataStatus");
        assertThat(CardPatch.empty().fieldNames()).isEmpty();
    }

    private static UpdateCard update(CardPatch patch, ExpectedVersion expected) {
        return new UpdateCard(CARD, patch, expected);
    }

    private static CardPatch titleTo(String title) {
        return new CardPatch(Edit.keep(), Edit.to(title), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep());
    }
}
