package dev.pawkit.sync.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.PageMetadata;
import dev.pawkit.sync.enricher.fetch.FetchOutcome;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MetadataCommandsTest {

    private static final FetchRequest REQUEST = new FetchRequest("alice", "c1", 3, "https://example.com/");
    private static final Instant AT = Instant.parse("2025-05-01T10:00:00Z");

    @Test
    void anAnswerIsApplyMetadataForTheRequestedVersionSentByTheEnricherForTheOwner() {
        PageMetadata page = new PageMetadata("T", "D", null, null, null);
        CommandEnvelope record = MetadataCommands.answer(REQUEST, new FetchOutcome.Fetched(page), AT, "cmd-1");
        assertThat(record.userId()).isEqualTo("alice");
        assertThat(record.actor()).isEqualTo("pawkit-enricher");
        assertThat(record.idempotencyKey()).isEqualTo("metadata:c1:3");
        assertThat(record.command())
                .isEqualTo(new CardCommand.ApplyMetadata("c1", 3, page, null, AT));

        CommandEnvelope failed = MetadataCommands.answer(REQUEST, new FetchOutcome.Failed("HTTP 404"), AT, "cmd-2");
        assertThat(failed.command())
                .isEqualTo(new CardCommand.ApplyMetadata("c1", 3, null, "HTTP 404", AT));
    }

    @Test
    void twoAnswersToOneRequestAreTheSameRequestWhateverTheyFetched() {
        CommandEnvelope first = MetadataCommands.answer(REQUEST,
                new FetchOutcome.Fetched(new PageMetadata("before", null, null, null, null)), AT, "cmd-1");
        CommandEnvelope second = MetadataCommands.answer(REQUEST, new FetchOutcome.Failed("HTTP 503"),
                AT.plusSeconds(60), "cmd-2");
        assertThat(second.idempotencyKey()).isEqualTo(first.idempotencyKey());
        assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
        assertThat(MetadataCommands.answer(new FetchRequest("alice", "c1", 4, "https://example.com/"),
                new FetchOutcome.Failed("x"), AT, "cmd-3").fingerprint()).isNotEqualTo(first.fingerprint());
    }

    @Test
    void reasonsAreBounded() {
        CommandEnvelope record = MetadataCommands.answer(REQUEST, new FetchOutcome.Failed("x".repeat(5000)), AT,
                "cmd");
        assertThat(((CardCommand.ApplyMetadata) record.command()).failure())
                .hasSize(MetadataCommands.MAX_REASON);
    }
}
