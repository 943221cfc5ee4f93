package dev.pawkit.sync.api.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.log.EventEnvelope;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Url cards get their page's metadata, or the reason they cannot, exactly once: the whole path
 * from the API through the event log, the enricher and the projector, against pages served on
 * 127.0.0.1 (allow-listed here).
 */
class MetadataEnrichmentTest extends EnricherIntegrationTest {

    @BeforeEach
    void enricherForThisTest() throws Exception {
        startEnricher(List.of("127.0.0.1"));
    }

    @Test
    void aPageWithOpenGraphTagsFillsTheMetadataAndNothingElse() throws Exception {
        String user = newUser("og");
        Instant before = Instant.now();
        String id = createUrlCard(user, site.url("/og"));

        JsonNode card = awaitAnswered(user, id);
        assertThat(state(card)).isEqualTo("ok");
        assertThat(card.get("metadataStatus").get("reason").isNull()).isTrue();
        assertThat(Instant.parse(card.get("metadataStatus").get("fetchedAt").stringValue())).isAfter(before);
        assertThat(metadata(card, "title")).isEqualTo("The OpenGraph title");
        assertThat(metadata(card, "description")).isEqualTo("What the page is about.");
        assertThat(metadata(card, "image")).isEqualTo(site.url("/images/cover.png"));
        assertThat(metadata(card, "siteName")).isEqualTo("Test Site");
        assertThat(metadata(card, "favicon")).isEqualTo(site.url("/static/icon.svg"));
        assertThat(card.get("title").stringValue()).as("the user's own title is theirs").isEqualTo("my own title");
        assertThat(card.get("version").longValue()).isEqualTo(2);
        assertAnsweredExactlyOnce(user, id);
        assertThat(deadLetters(id)).isEmpty();
    }

    @Test
    void aPageWithOnlyATitle() throws Exception {
        String user = newUser("title");
        String id = createUrlCard(user, site.url("/title-only"));

        JsonNode card = awaitAnswered(user, id);
        assertThat(state(card)).isEqualTo("ok");
        assertThat(metadata(card, "title")).isEqualTo("Only a title");
        assertThat(metadata(card, "description")).isNull();
        assertThat(metadata(card, "image")).isNull();
        assertThat(metadata(card, "favicon")).as("the conventional icon").isEqualTo(site.url("/favicon.ico"));
        assertAnsweredExactlyOnce(user, id);
    }

    @Test
    void aChainOfFiveRedirectsIsFollowedAndRelativeUrlsResolveAgainstWhereItEnded() throws Exception {
        String user = newUser("chain");
        String id = createUrlCard(user, site.url("/chain/1"));

        JsonNode card = awaitAnswered(user, id);
        assertThat(state(card)).isEqualTo("ok");
        assertThat(metadata(card, "title")).isEqualTo("End of the chain");
        assertThat(metadata(card, "favicon")).isEqualTo(site.url("/chain/end/icon.png"));
        assertAnsweredExactlyOnce(user, id);
    }

    @Test
    void aRedirectLoopFails() throws Exception {
        String user = newUser("loop");
        String id = createUrlCard(user, site.url("/loop/a"));

        JsonNode card = awaitAnswered(user, id);
        assertThat(state(card)).isEqualTo("failed");
        assertThat(reason(card)).isEqualTo("redirect loop");
        assertThat(metadata(card, "title")).isNull();
        assertAnsweredExactlyOnce(user, id);
        assertThat(deadLetters(id)).singleElement().satisfies(letter -> {
            assertThat(letter.userId()).isEqualTo(user);
            assertThat(letter.url()).isEqualTo(site.url("/loop/a"));
            assertThat(letter.reason()).isEqualTo("redirect loop");
        });
    }

    @Test
    void aTenMegabytePageIsReadOnlyAsFarAsTheLimit() throws Exception {
        String user = newUser("huge");
        String id = createUrlCard(user, site.url("/huge"));

        JsonNode card = awaitAnswered(user, id);
        assertThat(state(card)).isEqualTo("ok");
        assertThat(metadata(card, "title")).isEqualTo("A huge page");
        assertThat(site.hits("/huge")).isEqualTo(1);
        assertAnsweredExactlyOnce(user, id);
    }

    @Test
    void aPageSlowerThanTheReadTimeoutFailsAfterItsRetries() throws Exception {
        String user = newUser("slow");
        long start = System.nanoTime();
        String id = createUrlCard(user, site.url("/slow"));

        JsonNode card = awaitAnswered(user, id);
        assertThat(state(card)).isEqualTo("failed");
        assertThat(reason(card)).isEqualTo("timed out after 1 s (gave up after 3 attempts)");
        assertThat(site.hits("/slow")).isEqualTo(3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("never waits for the page's 5 s")
                .isLessThan(Duration.ofSeconds(12));
        assertAnsweredExactlyOnce(user, id);
        assertThat(deadLetters(id)).hasSize(1);
    }

    @Test
    void aFileThatIsNotHtmlIsNotParsed() throws Exception {
        String user = newUser("pdf");
        String id = createUrlCard(user, site.url("/file.pdf"));

        JsonNode card = awaitAnswered(user, id);
        assertThat(state(card)).isEqualTo("failed");
        assertThat(reason(card)).isEqualTo("not an HTML page (application/pdf)");
        assertAnsweredExactlyOnce(user, id);
        assertThat(deadLetters(id)).hasSize(1);
    }

    @Test
    void aMissingPageFailsAtOnce() throws Exception {
        String user = newUser("missing");
        String id = createUrlCard(user, site.url("/gone-for-good"));

        JsonNode card = awaitAnswered(user, id);
        assertThat(state(card)).isEqualTo("failed");
        assertThat(reason(card)).isEqualTo("HTTP 404");
        assertThat(site.hits("/gone-for-good")).as("a 404 is not retried").isEqualTo(1);
        assertAnsweredExactlyOnce(user, id);
        assertThat(deadLetters(id)).singleElement()
                .satisfies(letter -> assertThat(letter.cardId()).isEqualTo(id));
    }

    @Test
    void aServiceUnavailableTwiceThenBackIsRetriedUntilItAnswers() throws Exception {
        String user = newUser("flaky");
        String id = createUrlCard(user, site.url("/flaky"));

        JsonNode card = awaitAnswered(user, id);
        assertThat(state(card)).isEqualTo("ok");
        assertThat(metadata(card, "title")).isEqualTo("Back again");
        assertThat(site.hits("/flaky")).as("two 503s, then the page").isEqualTo(3);
        assertAnsweredExactlyOnce(user, id);
        assertThat(deadLetters(id)).isEmpty();
    }

    @Test
    void aRefreshThroughTheApiFetchesThePageAgain() throws Exception {
        String user = newUser("refresh");
        site.setRefreshTitle("First title");
        String id = createUrlCard(user, site.url("/refresh"));
        assertThat(metadata(awaitCard(user, id, c -> c.get("version").longValue() == 2), "title"))
                .isEqualTo("First title");

        site.setRefreshTitle("Second title");
        HttpResponse<String> refresh = send("POST", "/api/cards/" + id + "/refresh-metadata", user, null,
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(refresh.statusCode()).isEqualTo(202);
        assertThat(refresh.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).startsWith("/api/commands/"));

        JsonNode card = awaitCard(user, id, c -> c.get("version").longValue() == 4);
        assertThat(state(card)).isEqualTo("ok");
        assertThat(metadata(card, "title")).isEqualTo("Second title");
        List<EventEnvelope> events = awaitEvents(user, id, 4);
        assertThat(events).extracting(EventEnvelope::version).containsExactly(1L, 2L, 3L, 4L);
        assertThat(events).extracting(EventEnvelope::actor)
                .containsExactly(user, "pawkit-enricher", user, "pawkit-enricher");
        assertThat(events.get(3).idempotencyKey()).isEqualTo("metadata:" + id + ":3");
    }

    @Test
    void anEditDuringTheFetchIsKeptAndADeletionStaysDeleted() throws Exception {
        site.holdAgain();
        String user = newUser("meanwhile");
        String edited = createUrlCard(user, site.url("/held/edited"));
        String deleted = createUrlCard(user, site.url("/held/deleted"));

        HttpResponse<String> edit = send("PATCH", "/api/cards/" + edited, user,
                "{\"title\":\"edited while fetching\",\"version\":1}", Map.of());
        assertThat(edit.statusCode()).isEqualTo(200);
        HttpResponse<String> delete = send("DELETE", "/api/cards/" + deleted + "?version=1", user, null, Map.of());
        assertThat(delete.statusCode()).isEqualTo(200);
        site.releaseHeld();

        JsonNode card = awaitAnswered(user, edited);
        assertThat(card.get("title").stringValue()).isEqualTo("edited while fetching");
        assertThat(metadata(card, "title")).isEqualTo("Held edited");
        assertThat(card.get("version").longValue()).isEqualTo(3);
        // The answer to the deleted card's request is refused (Gone): no event, the card stays gone.
        awaitCommandCount(user, 2);
        // A write after both answers in the user's partition is decided after them: then they are decided.
        assertThat(send("POST", "/api/cards", user, "{\"type\":\"md-note\",\"title\":\"later\"}", Map.of())
                .statusCode()).isEqualTo(201);
        assertThat(send("GET", "/api/cards/" + deleted, user, null, Map.of()).statusCode()).isEqualTo(404);
        assertThat(awaitEvents(user, deleted, 2)).extracting(EventEnvelope::version).containsExactly(1L, 2L);
        assertThat(awaitEvents(user, edited, 3)).extracting(EventEnvelope::version).containsExactly(1L, 2L, 3L);
    }

    private void awaitCommandCount(String user, int count) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (metadataCommands(user).size() < count) {
            assertThat(System.nanoTime()).as("%d metadata commands of %s", count, user).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
