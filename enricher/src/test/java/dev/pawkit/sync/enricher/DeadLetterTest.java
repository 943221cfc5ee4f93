package dev.pawkit.sync.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.schemas.sealing.ContentSealer;
import dev.pawkit.sync.schemas.sealing.InMemoryUserKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A dead letter holds its page's url and reason only sealed under the owner's key: a raw scan of
 * the topic finds neither, an operator holding the keys reads them, and after the owner's keys
 * are destroyed nobody does.
 */
class DeadLetterTest {

    private static final String HOST_MARKER = "otter-host-5521";
    private static final String PATH_MARKER = "otter-path-8830";
    private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

    private final InMemoryUserKeys keys = new InMemoryUserKeys();
    private final ContentSealer sealer = new ContentSealer(keys);

    private static DeadLetter letterOf(String user) {
        FetchRequest request = new FetchRequest(user, "card-" + user, 3,
                "https://" + HOST_MARKER + ".example/" + PATH_MARKER + "?q=1");
        // A reason may name the host, as a paused host's or a refusing policy's does.
        return DeadLetter.of(request, "not tried: most recent fetches from " + HOST_MARKER
                + ".example:443 failed or timed out", AT);
    }

    @Test
    void theRawValueHoldsNoUrlNorReasonAndKeepsIdsVersionAndTimeReadable() {
        byte[] raw = letterOf("alice").sealedJson(sealer);

        String text = new String(raw, StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain(HOST_MARKER).doesNotContain(PATH_MARKER).doesNotContain("https://");
        JsonNode json = JsonMapper.builder().build().readTree(raw);
        assertThat(json.get("user").stringValue()).isEqualTo("alice");
        assertThat(json.get("card").stringValue()).isEqualTo("card-alice");
        assertThat(json.get("forVersion").longValue()).isEqualTo(3);
        assertThat(json.get("at").stringValue()).isEqualTo("2026-12-07T10:00:00Z");
        assertThat(json.has("url")).isFalse();
        assertThat(json.has("reason")).isFalse();
    }

    @Test
    void itOpensForAnOperatorHoldingTheKeys() {
        byte[] raw = letterOf("alice").sealedJson(sealer);

        assertThat(DeadLetter.open(raw, sealer)).contains(letterOf("alice"));
    }

    @Test
    void afterTheOwnersKeysAreDestroyedItCannotBeOpenedAndOthersStillCan() {
        byte[] alices = letterOf("alice").sealedJson(sealer);
        byte[] bobs = letterOf("bob").sealedJson(sealer);

        keys.destroy("alice");

        assertThat(DeadLetter.open(alices, sealer)).isEmpty();
        assertThat(DeadLetter.open(bobs, sealer)).contains(letterOf("bob"));
    }

    @Test
    void aLetterWrittenBeforeSealingStillReads() {
        byte[] clear = ("{\"user\":\"carol\",\"card\":\"c1\",\"forVersion\":3,\"url\":\"https://example.com/x\","
                + "\"reason\":\"HTTP 404\",\"at\":\"2026-12-07T10:00:00Z\"}").getBytes(StandardCharsets.UTF_8);

        assertThat(DeadLetter.open(clear, sealer))
                .contains(new DeadLetter("carol", "c1", 3, "https://example.com/x", "HTTP 404", AT));
    }
}
