package dev.pawkit.sync.api.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.log.EventEnvelope;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The enricher's metadata (version 2 of a url card) does not make the creating client's next
 * edit, based on version 1, a conflict when it sets none of the fields the enricher set; an edit
 * of one of them, or any edit after a change by the owner, still is. Against the real enricher,
 * projector and broker, with the committed log checked after each write.
 */
class NoFalseConflictTest extends EnricherIntegrationTest {

    @BeforeEach
    void enricherForThisTest() throws Exception {
        startEnricher(List.of("127.0.0.1"));
    }

    @Test
    void anEditBasedOnTheVersionBeforeTheMetadataAppliesAndKeepsTheMetadata() throws Exception {
        String user = newUser("nofalse");
        String id = createUrlCard(user, site.url("/og"));
        assertThat(awaitAnswered(user, id).get("version").longValue()).isEqualTo(2);

        HttpResponse<String> edited = patch(user, id, "{\"title\":\"cats, mine\"}", "\"1\"");

        assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
        assertThat(edited.headers().firstValue("ETag")).hasValue("\"3\"");
        JsonNode card = JSON.readTree(edited.body());
        assertThat(card.get("title").stringValue()).isEqualTo("cats, mine");
        assertThat(metadata(card, "title")).as("the enricher's change stays").isEqualTo("The OpenGraph title");
        List<EventEnvelope> events = awaitEvents(user, id, 3);
        assertThat(events).extracting(EventEnvelope::version).containsExactly(1L, 2L, 3L);
        assertThat(events.get(2).actor()).isEqualTo(user);

        // Version 3 is the owner's own change: an edit based on version 2 now conflicts.
        HttpResponse<String> stale = patch(user, id, "{\"pinned\":true}", "\"2\"");
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(412);
        assertThat(committedLog().eventsOf(user, id)).hasSize(3);
    }

    @Test
    void anEditOfAFieldTheEnricherSetStaysAConflictAndWritesNothing() throws Exception {
        String user = newUser("overlap");
        String id = createUrlCard(user, site.url("/og"));
        awaitAnswered(user, id);
        assertAnsweredExactlyOnce(user, id);

        HttpResponse<String> edited = patch(user, id, "{\"metadata\":{\"description\":\"mine\"}}", "\"1\"");

        assertThat(edited.statusCode()).as(edited.body()).isEqualTo(412);
        assertThat(edited.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(card(user, id).get("version").longValue()).isEqualTo(2);
        assertThat(committedLog().eventsOf(user, id)).hasSize(2);
    }

    private HttpResponse<String> patch(String user, String id, String body, String ifMatch) throws Exception {
        return send("PATCH", "/api/cards/" + id, user, body,
                Map.of("If-Match", ifMatch, "Idempotency-Key", UUID.randomUUID().toString()));
    }
}
