package dev.pawkit.sync.domain.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.Edit;
import dev.pawkit.sync.domain.ExpectedVersion;
import dev.pawkit.sync.domain.Metadata;
import dev.pawkit.sync.domain.PageMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** "The same request" is the same meaning: equal commands fingerprint equal, any difference in meaning differs. */
class RequestFingerprintTest {

    private static final String CREATE = "POST /api/cards";
    private static final String PATCH = "PATCH /api/cards/c1";

    @Test
    void theSameMeaningBuiltTwiceHasOneFingerprint() {
        assertThat(RequestFingerprint.of(CREATE, create("Groceries", new ArrayList<>(List.of("home")))))
                .isEqualTo(RequestFingerprint.of(CREATE, create("Groceries", List.of("home"))))
                .hasSize(64);
    }

    @Test
    void anotherValueAnotherVersionOrAnotherEndpointIsAnotherRequest() {
        String base = RequestFingerprint.of(PATCH, update(Edit.to("A"), new ExpectedVersion.InBody(3)));
        assertThat(List.of(
                RequestFingerprint.of(PATCH, update(Edit.to("B"), new ExpectedVersion.InBody(3))),
                RequestFingerprint.of(PATCH, update(Edit.to("A"), new ExpectedVersion.InBody(4))),
                RequestFingerprint.of(PATCH, update(Edit.to("A"), new ExpectedVersion.IfMatch(3))),
                RequestFingerprint.of(PATCH, update(Edit.to("A"), ExpectedVersion.any())),
                RequestFingerprint.of("PATCH /api/cards/c2", update(Edit.to("A"), new ExpectedVersion.InBody(3)))))
                .doesNotContain(base)
                .doesNotHaveDuplicates();
    }

    @Test
    void clearingAFieldKeepingItAndSettingItAreThreeRequests() {
        assertThat(List.of(
                RequestFingerprint.of(PATCH, update(Edit.to(null), ExpectedVersion.any())),
                RequestFingerprint.of(PATCH, update(Edit.keep(), ExpectedVersion.any())),
                RequestFingerprint.of(PATCH, update(Edit.to(""), ExpectedVersion.any()))))
                .doesNotHaveDuplicates();
    }

    @Test
    void valuesCannotPassForFieldBoundaries() {
        // Same characters overall, split differently between two fields.
        CardCommand first = new CardCommand.CreateCard("c1", new CardFields(CardType.TEXT_NOTE, null, "ab",
                "c", null, List.of(), List.of(), false, Metadata.EMPTY));
        CardCommand second = new CardCommand.CreateCard("c1", new CardFields(CardType.TEXT_NOTE, null, "a",
                "bc", null, List.of(), List.of(), false, Metadata.EMPTY));
        assertThat(RequestFingerprint.of(CREATE, first)).isNotEqualTo(RequestFingerprint.of(CREATE, second));
    }

    @Test
    void aMetadataAnswerIsTheRequestItAnswersWhateverThePageSaid() {
        CardCommand fetched = new CardCommand.ApplyMetadata("c1", 3,
                new PageMetadata("T", null, null, null, null), null, Instant.EPOCH);
        CardCommand failed = new CardCommand.ApplyMetadata("c1", 3, null, "HTTP 503", Instant.EPOCH.plusSeconds(60));
        CardCommand later = new CardCommand.ApplyMetadata("c1", 4, null, "HTTP 503", Instant.EPOCH);
        assertThat(RequestFingerprint.of("pawkit-enricher", failed))
                .isEqualTo(RequestFingerprint.of("pawkit-enricher", fetched))
                .isNotEqualTo(RequestFingerprint.of("pawkit-enricher", later));
    }

    private static CardCommand create(String title, List<String> tags) {
        return new CardCommand.CreateCard("c1", new CardFields(CardType.TEXT_NOTE, null, title, null, "milk",
                tags, List.of(), false, Metadata.EMPTY));
    }

    private static CardCommand update(Edit<String> title, ExpectedVersion expected) {
        return new CardCommand.UpdateCard("c1", new CardPatch(Edit.keep(), title, Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep()), expected);
    }
}
