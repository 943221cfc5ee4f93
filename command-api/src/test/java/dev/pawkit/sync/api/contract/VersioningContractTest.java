package dev.pawkit.sync.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.CardEvent.CardDeleted;
import dev.pawkit.sync.domain.CardEvent.CardUpdated;
import dev.pawkit.sync.domain.log.EventEnvelope;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Contract, "Writes" and "Optimistic concurrency": versions start at 1 and grow by exactly 1 per
 * applied change; a body version that differs is a 409 with the seed's conflict body, an If-Match
 * that differs a 412; no version is last write wins; unknown 404, deleted 410.
 */
class VersioningContractTest extends ContractTest {

    private static final String NOTE = "{\"type\":\"md-note\",\"title\":\"v1\",\"notes\":\"n\",\"tags\":[\"a\"]}";

    @Test
    void anUpdateWithTheCurrentVersionIs200AndTheVersionGrowsByOne() throws Exception {
        String user = newUser();
        JsonNode created = createCard(user, NOTE);
        String id = text(created, "id");

        HttpResponse<String> updated = patch(user, id, "{\"title\":\"v2\",\"version\":1}");

        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(header(updated, "ETag")).isEqualTo("\"2\"");
        assertThat(header(updated, "Idempotent-Replayed")).isNull();
        JsonNode card = json(updated);
        assertCardShape(card);
        assertThat(card.get("version").longValue()).isEqualTo(2);
        assertThat(text(card, "title")).isEqualTo("v2");
        assertThat(text(card, "notes")).isEqualTo("n");
        assertThat(text(card, "createdAt")).isEqualTo(text(created, "createdAt"));
        assertRfc3339(text(card, "updatedAt"));
        assertThat(time(card, "updatedAt")).isAfterOrEqualTo(time(created, "updatedAt"));
        assertThat(readCard(user, id)).isEqualTo(card);

        JsonNode v3 = updateCard(user, id, "{\"title\":\"v3\",\"version\":2}");
        assertThat(v3.get("version").longValue()).isEqualTo(3);
        List<EventEnvelope> events = eventsOf(user);
        assertThat(versions(events)).containsExactly(1L, 2L, 3L);
        assertThat(events.subList(1, 3)).allSatisfy(e -> assertThat(e.event()).isInstanceOf(CardUpdated.class));
    }

    @Test
    void anOlderBodyVersionIs409WithTheConflictBody() throws Exception {
        String user = newUser();
        String id = text(createCard(user, NOTE), "id");
        JsonNode v2 = updateCard(user, id, "{\"title\":\"v2\"}");

        HttpResponse<String> stale = patch(user, id, "{\"title\":\"lost\",\"version\":1}");

        JsonNode problem = assertConflict(stale, 409, "version-conflict", "Conflict", v2);
        assertThat(problem.get("currentVersion").longValue()).isEqualTo(2);
        assertThat(readCard(user, id)).isEqualTo(v2);
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void aNewerBodyVersionIs409Too() throws Exception {
        String user = newUser();
        JsonNode v1 = createCard(user, NOTE);
        String id = text(v1, "id");

        HttpResponse<String> ahead = patch(user, id, "{\"title\":\"future\",\"version\":5}");

        assertConflict(ahead, 409, "version-conflict", "Conflict", v1);
        assertThat(readCard(user, id)).isEqualTo(v1);
        assertThat(versions(eventsOf(user))).containsExactly(1L);
    }

    @Test
    void anIfMatchThatDoesNotMatchIs412WithTheSameExtraFields() throws Exception {
        String user = newUser();
        String id = text(createCard(user, NOTE), "id");
        JsonNode v2 = updateCard(user, id, "{\"title\":\"v2\"}");

        HttpResponse<String> older = patch(user, id, "{\"title\":\"lost\"}", Map.of("If-Match", "\"1\""));
        HttpResponse<String> newer = patch(user, id, "{\"title\":\"lost\"}", Map.of("If-Match", "\"3\""));

        JsonNode problem = assertConflict(older, 412, "precondition-failed", "Precondition Failed", v2);
        assertThat(problem.get("currentVersion").longValue()).isEqualTo(2);
        assertConflict(newer, 412, "precondition-failed", "Precondition Failed", v2);
        assertThat(readCard(user, id)).isEqualTo(v2);
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void anIfMatchThatMatchesIs200() throws Exception {
        String user = newUser();
        String id = text(createCard(user, NOTE), "id");

        HttpResponse<String> updated = patch(user, id, "{\"title\":\"guarded\"}", Map.of("If-Match", "\"1\""));

        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(header(updated, "ETag")).isEqualTo("\"2\"");
        assertThat(json(updated).get("version").longValue()).isEqualTo(2);
        assertThat(text(json(updated), "title")).isEqualTo("guarded");
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void theETagOfAReadIsTheIfMatchOfTheNextWrite() throws Exception {
        String user = newUser();
        String id = text(createCard(user, NOTE), "id");
        String etag = header(get(user, "/api/cards/" + id), "ETag");

        HttpResponse<String> updated = patch(user, id, "{\"title\":\"via etag\"}", Map.of("If-Match", etag));

        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(header(get(user, "/api/cards/" + id), "ETag")).isEqualTo(header(updated, "ETag")).isEqualTo("\"2\"");
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void bothIfMatchAndABodyVersionIs400AndWritesNothing() throws Exception {
        String user = newUser();
        JsonNode v1 = createCard(user, NOTE);
        String id = text(v1, "id");

        HttpResponse<String> both = patch(user, id, "{\"title\":\"x\",\"version\":1}", Map.of("If-Match", "\"1\""));
        HttpResponse<String> bothOnDelete = send("DELETE", "/api/cards/" + id + "?version=1", user, null,
                Map.of("If-Match", "\"1\""));

        assertProblem(both, 400);
        assertProblem(bothOnDelete, 400);
        assertThat(readCard(user, id)).isEqualTo(v1);
        assertThat(versions(eventsOf(user))).containsExactly(1L);
    }

    @Test
    void withoutAVersionTheLastWriteWins() throws Exception {
        String user = newUser();
        String id = text(createCard(user, NOTE), "id");
        updateCard(user, id, "{\"title\":\"first writer\"}");

        JsonNode last = updateCard(user, id, "{\"title\":\"second writer\"}");

        assertThat(last.get("version").longValue()).isEqualTo(3);
        assertThat(text(readCard(user, id), "title")).isEqualTo("second writer");
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aDeleteWithTheVersionInTheQueryIs200WithTheTombstoneShape() throws Exception {
        String user = newUser();
        String id = text(createCard(user, NOTE), "id");
        updateCard(user, id, "{\"title\":\"v2\"}");

        HttpResponse<String> deleted = send("DELETE", "/api/cards/" + id + "?version=2", user, null, Map.of());

        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        JsonNode body = json(deleted);
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("id", "version", "deleted");
        assertThat(text(body, "id")).isEqualTo(id);
        assertThat(body.get("version").longValue()).isEqualTo(3);
        assertThat(body.get("deleted").booleanValue()).isTrue();
        assertProblem(get(user, "/api/cards/" + id), 404);
        assertThat(liveCardIds(user)).isEmpty();
        List<EventEnvelope> events = eventsOf(user);
        assertThat(versions(events)).containsExactly(1L, 2L, 3L);
        assertThat(events.get(2).event()).isInstanceOf(CardDeleted.class);
    }

    @Test
    void aDeleteWithTheVersionInTheBodyIs200() throws Exception {
        String user = newUser();
        String id = text(createCard(user, NOTE), "id");

        HttpResponse<String> deleted = send("DELETE", "/api/cards/" + id, user, "{\"version\":1}", Map.of());

        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(json(deleted).get("version").longValue()).isEqualTo(2);
        assertThat(json(deleted).get("deleted").booleanValue()).isTrue();
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void aDeleteWithoutVersionDeletesTheCurrentVersion() throws Exception {
        String user = newUser();
        String id = text(createCard(user, NOTE), "id");
        updateCard(user, id, "{\"title\":\"v2\"}");

        HttpResponse<String> deleted = send("DELETE", "/api/cards/" + id, user, null, Map.of());

        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted).get("version").longValue()).isEqualTo(3);
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aDeleteWithAStaleVersionIs409AndAStaleIfMatchIs412() throws Exception {
        String user = newUser();
        String id = text(createCard(user, NOTE), "id");
        JsonNode v2 = updateCard(user, id, "{\"title\":\"v2\"}");

        HttpResponse<String> staleQuery = send("DELETE", "/api/cards/" + id + "?version=1", user, null, Map.of());
        HttpResponse<String> staleBody = send("DELETE", "/api/cards/" + id, user, "{\"version\":3}", Map.of());
        HttpResponse<String> staleIfMatch = send("DELETE", "/api/cards/" + id, user, null, Map.of("If-Match", "\"1\""));

        assertConflict(staleQuery, 409, "version-conflict", "Conflict", v2);
        assertConflict(staleBody, 409, "version-conflict", "Conflict", v2);
        assertConflict(staleIfMatch, 412, "precondition-failed", "Precondition Failed", v2);
        assertThat(readCard(user, id)).isEqualTo(v2);
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void anUnknownCardIs404OnPatchAndDeleteAndNothingIsWritten() throws Exception {
        String user = newUser();
        String unknown = UUID.randomUUID().toString();

        assertProblem(patch(user, unknown, "{\"title\":\"ghost\"}"), 404);
        assertProblem(patch(user, unknown, "{\"title\":\"ghost\",\"version\":1}"), 404);
        assertProblem(send("DELETE", "/api/cards/" + unknown, user, null, Map.of()), 404);
        assertProblem(send("DELETE", "/api/cards/" + unknown + "?version=1", user, null, Map.of()), 404);

        assertProblem(get(user, "/api/cards/" + unknown), 404);
        assertThat(eventsOf(user)).isEmpty();
        assertThat(liveCardIds(user)).isEmpty();
    }

    @Test
    void aDeletedCardIs410OnPatchAndDeleteAnd404OnGet() throws Exception {
        String user = newUser();
        String id = text(createCard(user, NOTE), "id");
        assertThat(send("DELETE", "/api/cards/" + id, user, null, Map.of()).statusCode()).isEqualTo(200);

        assertProblem(patch(user, id, "{\"title\":\"revive\"}"), 410);
        assertProblem(patch(user, id, "{\"title\":\"revive\",\"version\":2}"), 410);
        assertProblem(patch(user, id, "{\"title\":\"revive\"}", Map.of("If-Match", "\"2\"")), 410);
        assertProblem(send("DELETE", "/api/cards/" + id, user, null, Map.of()), 410);
        assertProblem(send("DELETE", "/api/cards/" + id + "?version=2", user, null, Map.of()), 410);

        assertProblem(get(user, "/api/cards/" + id), 404);
        assertThat(liveCardIds(user)).isEmpty();
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void anUpdateThatChangesNothingKeepsTheVersion() throws Exception {
        String user = newUser();
        JsonNode v1 = createCard(user, NOTE);
        String id = text(v1, "id");

        HttpResponse<String> same = patch(user, id, "{\"title\":\"v1\",\"tags\":[\"a\"],\"version\":1}");
        HttpResponse<String> empty = patch(user, id, "{}");

        assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
        assertThat(header(same, "ETag")).isEqualTo("\"1\"");
        assertThat(json(same)).isEqualTo(v1);
        assertThat(empty.statusCode()).as(empty.body()).isEqualTo(200);
        assertThat(json(empty).get("version").longValue()).isEqualTo(1);
        assertThat(readCard(user, id)).isEqualTo(v1);
        assertThat(versions(eventsOf(user))).containsExactly(1L);
    }

    @Test
    void changingTheTypeIs400AndWritesNothing() throws Exception {
        String user = newUser();
        JsonNode v1 = createCard(user, NOTE);
        String id = text(v1, "id");

        assertProblem(patch(user, id, "{\"type\":\"text-note\"}"), 400);
        assertProblem(patch(user, id, "{\"type\":\"md-note\"}"), 400);

        assertThat(readCard(user, id)).isEqualTo(v1);
        assertThat(versions(eventsOf(user))).containsExactly(1L);
    }

    @Test
    void aPatchIsAJsonMergePatch() throws Exception {
        String user = newUser();
        String id = text(createCard(user, """
                {"type":"md-note","url":"https://example.com","title":"t","notes":"n","tags":["a","b"],
                 "metadata":{"description":"d","image":"https://example.com/i.png"}}
                """), "id");

        // Absent: kept; null: removed; nested objects merge field by field; arrays replace.
        JsonNode card = updateCard(user, id, "{\"notes\":null,\"tags\":[\"c\"],\"metadata\":{\"image\":null}}");

        assertThat(text(card, "title")).isEqualTo("t");
        assertThat(card.get("notes").isNull()).isTrue();
        assertThat(card.get("tags")).hasSize(1);
        assertThat(card.get("tags").get(0).stringValue()).isEqualTo("c");
        assertThat(text(card.get("metadata"), "description")).isEqualTo("d");
        assertThat(card.get("metadata").get("image").isNull()).isTrue();
        assertThat(card.get("version").longValue()).isEqualTo(2);
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void aMergePatchMediaTypeIsAccepted() throws Exception {
        String user = newUser();
        String id = text(createCard(user, NOTE), "id");

        HttpResponse<String> updated = raw("PATCH", "/api/cards/" + id, user, "{\"title\":\"merge\"}",
                Map.of("Content-Type", "application/merge-patch+json"));

        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(text(json(updated), "title")).isEqualTo("merge");
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void removingTheUrlOfAUrlCardIsRefusedAndWritesNothing() throws Exception {
        String user = newUser();
        JsonNode v1 = createCard(user, "{\"type\":\"url\",\"url\":\"https://example.com\"}");
        String id = text(v1, "id");

        HttpResponse<String> refused = patch(user, id, "{\"url\":null}");

        // Valid input, but the card it would leave is not: the projector's 422.
        assertProblem(refused, 422, "invalid-card");
        assertThat(readCard(user, id)).isEqualTo(v1);
        assertThat(versions(eventsOf(user))).containsExactly(1L);
    }
}
