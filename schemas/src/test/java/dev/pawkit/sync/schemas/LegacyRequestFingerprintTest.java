package dev.pawkit.sync.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.Edit;
import dev.pawkit.sync.domain.ExpectedVersion;
import dev.pawkit.sync.domain.Metadata;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fingerprint versions before v5 gave a request, reproduced exactly: the expected values were
 * printed by that code (command-api's RequestFingerprint at commit e00243a) for these requests.
 */
class LegacyRequestFingerprintTest {

    private static final String CARD = "5b0e7c1e-2f7a-4a8e-9d1c-1f2e3d4c5b6a";

    @Test
    void aCreateHasTheFingerprintThePreviousVersionGaveIt() {
        CardCommand create = new CardCommand.CreateCard(CARD, new CardFields(CardType.MD_NOTE, null, "Example", null,
                "# Read later", List.of("read"), List.of(), false, Metadata.EMPTY));
        assertThat(LegacyRequestFingerprint.of("POST /api/cards", create))
                .isEqualTo("81b427bc6377f9491e24ea0fcc2d8818deffbf3033aa90f60dae98d93e257b7c");
    }

    @Test
    void anUpdateHasTheFingerprintThePreviousVersionGaveIt() {
        CardCommand update = new CardCommand.UpdateCard(CARD, new CardPatch(Edit.keep(), Edit.to("Example Domain"),
                Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep()),
                new ExpectedVersion.InBody(1));
        assertThat(LegacyRequestFingerprint.of("PATCH /api/cards/" + CARD, update))
                .isEqualTo("5eee8a59d6711f864e2b429a874a7886adc20275ded7552ffae79ffa26191e14");
    }
}
