package dev.pawkit.sync.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Contract, "Idempotency": same user + same key + same request replays the original response
 * (errors too) with {@code Idempotent-Replayed: true} and no second effect; the same key with
 * another request is a 422 {@code idempotency-key-reused} that writes nothing; the key is checked
 * before the version; a create without key and without id is not idempotent.
 */
class IdempotencyContractTest extends ContractTest {

    private static final String REPLAYED = "Idempotent-Replayed";

    @Test
    void aRetriedCreateReplaysTheOriginal201AndMakesOneCard() throws Exception {
        String user = newUser();
        String key = newKey();
        String body = "{\"type\":\"md-note\",\"url\":\"https://example.com/retry\",\"title\":\"retry me\"}";

        HttpResponse<String> first = post(user, body, key);
        HttpResponse<String> second = post(user, body, key);
        HttpResponse<String> third = post(user, body, key);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(header(first, REPLAYED)).isNull();
        for (HttpResponse<String> replay : java.util.List.of(second, third)) {
            assertThat(replay.statusCode()).isEqualTo(201);
            assertThat(header(replay, REPLAYED)).isEqualTo("true");
            assertThat(json(replay)).isEqualTo(json(first));
            assertThat(header(replay, "Location")).isEqualTo(header(first, "Location"));
            assertThat(header(replay, "ETag")).isEqualTo("\"1\"");
        }
        String id = text(json(first), "id");
        assertThat(liveCardIds(user)).containsExactly(id);
        assertThat(eventsOf(user)).hasSize(1);
    }

    @Test
    void aCreateWithAKeyAndNoIdGetsANameBasedIdSoRetriesNameTheSameCard() throws Exception {
        String user = newUser();
        String key = newKey();

        JsonNode card = json(post(user, "{\"type\":\"md-note\"}", key));

        UUID id = UUID.fromString(text(card, "id"));
        assertThat(id.version()).as("a name-based UUID (version 3 or 5) from user + key").isIn(3, 5);
        assertThat(eventsOf(user)).hasSize(1);
    }

    @Test
    void aReplayStillAnswersTheOriginalAfterTheCardMovedOn() throws Exception {
        String user = newUser();
        String key = newKey();
        String body = "{\"type\":\"md-note\",\"title\":\"v1\"}";
        HttpResponse<String> first = post(user, body, key);
        String id = text(json(first), "id");
        updateCard(user, id, "{\"title\":\"v2\"}");

        HttpResponse<String> replay = post(user, body, key);

        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(header(replay, REPLAYED)).isEqualTo("true");
        assertThat(json(replay)).isEqualTo(json(first));
        assertThat(text(readCard(user, id), "title")).isEqualTo("v2");
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void jsonWhitespaceAndKeyOrderDoNotMakeAnotherRequest() throws Exception {
        String user = newUser();
        String key = newKey();

        HttpResponse<String> first = post(user,
                "{\"type\":\"md-note\",\"title\":\"same\",\"tags\":[\"a\",\"b\"],\"pinned\":true}", key);
        HttpResponse<String> reordered = post(user, """
                {
                  "pinned" : true ,
                  "tags" : [ "a", "b" ],
                  "title" : "same",
                  "type" : "md-note"
                }
                """, key);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(reordered.statusCode()).as(reordered.body()).isEqualTo(201);
        assertThat(header(reordered, REPLAYED)).isEqualTo("true");
        assertThat(json(reordered)).isEqualTo(json(first));
        assertThat(eventsOf(user)).hasSize(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndWritesNothing() throws Exception {
        String user = newUser();
        String key = newKey();
        HttpResponse<String> first = post(user, "{\"type\":\"md-note\",\"title\":\"original\"}", key);
        assertThat(first.statusCode()).isEqualTo(201);

        HttpResponse<String> reused = post(user, "{\"type\":\"md-note\",\"title\":\"different\"}", key);

        assertProblem(reused, 422, "idempotency-key-reused");
        assertThat(liveCardIds(user)).containsExactly(text(json(first), "id"));
        assertThat(text(readCard(user, text(json(first), "id")), "title")).isEqualTo("original");
        assertThat(eventsOf(user)).hasSize(1);

        // The key still names the first request.
        HttpResponse<String> replay = post(user, "{\"type\":\"md-note\",\"title\":\"original\"}", key);
        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(header(replay, REPLAYED)).isEqualTo("true");
        assertThat(json(replay)).isEqualTo(json(first));
        assertThat(eventsOf(user)).hasSize(1);
    }

    @Test
    void theSameKeyOnAnotherMethodAndPathIs422AndWritesNothing() throws Exception {
        String user = newUser();
        String key = newKey();
        HttpResponse<String> created = post(user, "{\"type\":\"md-note\",\"title\":\"original\"}", key);
        String id = text(json(created), "id");

        HttpResponse<String> reusedOnPatch = patch(user, id, "{\"title\":\"changed\"}", Map.of("Idempotency-Key", key));
        HttpResponse<String> reusedOnDelete = send("DELETE", "/api/cards/" + id, user, null,
                Map.of("Idempotency-Key", key));

        assertProblem(reusedOnPatch, 422, "idempotency-key-reused");
        assertProblem(reusedOnDelete, 422, "idempotency-key-reused");
        JsonNode card = readCard(user, id);
        assertThat(text(card, "title")).isEqualTo("original");
        assertThat(card.get("version").longValue()).isEqualTo(1);
        assertThat(versions(eventsOf(user))).containsExactly(1L);
    }

    @Test
    void aRetriedUpdateReplaysItsResponseAndAppliesOnce() throws Exception {
        String user = newUser();
        String key = newKey();
        String id = text(createCard(user, "{\"type\":\"md-note\",\"tags\":[]}"), "id");

        HttpResponse<String> first = patch(user, id, "{\"tags\":[\"once\"],\"pinned\":true}", Map.of("Idempotency-Key", key));
        HttpResponse<String> retry = patch(user, id, "{\"pinned\":true,\"tags\":[\"once\"]}", Map.of("Idempotency-Key", key));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(header(first, REPLAYED)).isNull();
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(header(retry, REPLAYED)).isEqualTo("true");
        assertThat(json(retry)).isEqualTo(json(first));
        assertThat(header(retry, "ETag")).isEqualTo("\"2\"");
        assertThat(readCard(user, id).get("version").longValue()).isEqualTo(2);
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void theKeyIsCheckedBeforeTheVersion() throws Exception {
        String user = newUser();
        String key = newKey();
        String id = text(createCard(user, "{\"type\":\"md-note\",\"title\":\"v1\"}"), "id");
        String versionedUpdate = "{\"title\":\"mine\",\"version\":1}";
        HttpResponse<String> first = patch(user, id, versionedUpdate, Map.of("Idempotency-Key", key));
        assertThat(first.statusCode()).isEqualTo(200);
        updateCard(user, id, "{\"title\":\"someone else's\"}");

        // The response to the first attempt was lost; the client retries it although version 1 is stale now.
        HttpResponse<String> retry = patch(user, id, versionedUpdate, Map.of("Idempotency-Key", key));

        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(header(retry, REPLAYED)).isEqualTo("true");
        assertThat(json(retry)).isEqualTo(json(first));
        assertThat(json(retry).get("version").longValue()).isEqualTo(2);
        assertThat(header(retry, "ETag")).isEqualTo("\"2\"");
        JsonNode card = readCard(user, id);
        assertThat(card.get("version").longValue()).isEqualTo(3);
        assertThat(text(card, "title")).isEqualTo("someone else's");
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aReplayed409IsTheOriginal409() throws Exception {
        String user = newUser();
        String key = newKey();
        String id = text(createCard(user, "{\"type\":\"md-note\",\"title\":\"v1\"}"), "id");
        JsonNode v2 = updateCard(user, id, "{\"title\":\"v2\"}");
        String stale = "{\"title\":\"stale\",\"version\":1}";
        HttpResponse<String> conflict = patch(user, id, stale, Map.of("Idempotency-Key", key));
        assertConflict(conflict, 409, "version-conflict", "Conflict", v2);
        updateCard(user, id, "{\"title\":\"v3\"}");

        HttpResponse<String> replay = patch(user, id, stale, Map.of("Idempotency-Key", key));

        // The original 409, about version 2, even though the card is at version 3 now.
        assertConflict(replay, 409, "version-conflict", "Conflict", v2);
        assertThat(header(replay, REPLAYED)).isEqualTo("true");
        assertThat(header(conflict, REPLAYED)).isNull();
        assertThat(json(replay)).isEqualTo(json(conflict));
        assertThat(readCard(user, id).get("version").longValue()).isEqualTo(3);
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aReplayed404StaysA404EvenOnceTheCardExists() throws Exception {
        String user = newUser();
        String key = newKey();
        String id = UUID.randomUUID().toString();
        HttpResponse<String> notFound = patch(user, id, "{\"title\":\"early\"}", Map.of("Idempotency-Key", key));
        assertProblem(notFound, 404);
        createCard(user, "{\"id\":\"" + id + "\",\"type\":\"md-note\",\"title\":\"late\"}");

        HttpResponse<String> replay = patch(user, id, "{\"title\":\"early\"}", Map.of("Idempotency-Key", key));

        assertProblem(replay, 404);
        assertThat(header(replay, REPLAYED)).isEqualTo("true");
        assertThat(json(replay)).isEqualTo(json(notFound));
        assertThat(text(readCard(user, id), "title")).isEqualTo("late");
        assertThat(versions(eventsOf(user))).containsExactly(1L);
    }

    @Test
    void aRetriedDeleteReplaysIts200InsteadOf410() throws Exception {
        String user = newUser();
        String key = newKey();
        String id = text(createCard(user, "{\"type\":\"md-note\"}"), "id");

        HttpResponse<String> first = send("DELETE", "/api/cards/" + id + "?version=1", user, null, Map.of("Idempotency-Key", key));
        HttpResponse<String> retry = send("DELETE", "/api/cards/" + id + "?version=1", user, null, Map.of("Idempotency-Key", key));

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(header(retry, REPLAYED)).isEqualTo("true");
        assertThat(json(retry)).isEqualTo(json(first));
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void aCreateWithoutKeyAndWithoutIdIsNotIdempotent() throws Exception {
        String user = newUser();
        String body = "{\"type\":\"md-note\",\"title\":\"twice\"}";

        HttpResponse<String> first = post(user, body);
        HttpResponse<String> second = post(user, body);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(header(second, REPLAYED)).isNull();
        assertThat(text(json(second), "id")).isNotEqualTo(text(json(first), "id"));
        assertThat(liveCardIds(user)).containsExactlyInAnyOrder(text(json(first), "id"), text(json(second), "id"));
        assertThat(eventsOf(user)).hasSize(2);
    }

    @Test
    void aCreateWithoutKeyButWithAnIdIsSafeToRetry() throws Exception {
        String user = newUser();
        String id = UUID.randomUUID().toString();
        String body = "{\"id\":\"" + id + "\",\"type\":\"md-note\",\"title\":\"once\"}";

        HttpResponse<String> first = post(user, body);
        HttpResponse<String> retry = post(user, body);

        assertThat(first.statusCode()).isEqualTo(201);
        assertProblem(retry, 409, "card-exists");
        assertThat(liveCardIds(user)).containsExactly(id);
        assertThat(eventsOf(user)).hasSize(1);
    }

    @Test
    void aKeyOf255PrintableAsciiCharactersIsAccepted() throws Exception {
        String user = newUser();
        String key = "k-" + "~!#".repeat(84) + "z";
        assertThat(key).hasSize(255);

        HttpResponse<String> first = post(user, "{\"type\":\"md-note\"}", key);
        HttpResponse<String> retry = post(user, "{\"type\":\"md-note\"}", key);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(header(retry, REPLAYED)).isEqualTo("true");
        assertThat(eventsOf(user)).hasSize(1);
    }
}
