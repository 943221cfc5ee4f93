package dev.pawkit.sync.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/batch}: one result per operation, in order, each what the request alone would
 * have answered (replays included); not atomic; bad input answered without writing. The committed
 * event log is checked after each batch.
 */
class BatchContractTest extends ContractTest {

    @Test
    void operationsAreDecidedInOrderEachAnsweredAsAlone() throws Exception {
        String user = newUser();
        String id = UUID.randomUUID().toString();
        List<Map<String, Object>> operations = List.of(
                operation("POST", "/api/cards", newKey(), Map.of(), Map.of("id", id, "type", "md-note", "title", "a")),
                operation("PATCH", "/api/cards/" + id, newKey(), Map.of("If-Match", "\"1\""), Map.of("title", "b")),
                operation("PATCH", "/api/cards/" + id, newKey(), Map.of("If-Match", "\"1\""), Map.of("title", "c")),
                operation("DELETE", "/api/cards/" + id, newKey(), Map.of("If-Match", "\"2\""), null));

        JsonNode results = results(batch(user, operations));

        assertThat(results.size()).isEqualTo(4);
        assertThat(statuses(results)).containsExactly(201, 200, 412, 200);
        assertThat(results.get(0).get("headers").get("ETag").stringValue()).isEqualTo("\"1\"");
        assertThat(results.get(0).get("headers").get("Location").stringValue()).isEqualTo("/api/cards/" + id);
        assertThat(results.get(0).get("body").get("title").stringValue()).isEqualTo("a");
        assertThat(results.get(1).get("headers").get("ETag").stringValue()).isEqualTo("\"2\"");
        assertThat(results.get(2).get("headers").get("Content-Type").stringValue()).isEqualTo(PROBLEM_JSON);
        assertThat(results.get(2).get("body").get("instance").stringValue()).isEqualTo("/api/cards/" + id);
        assertThat(results.get(3).get("body").get("deleted").booleanValue()).isTrue();
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L, 3L);
        assertThat(get(user, "/api/cards/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void aRetriedBatchReplaysEveryKeyedOperationAndWritesNothing() throws Exception {
        String user = newUser();
        List<Map<String, Object>> operations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            operations.add(operation("POST", "/api/cards", newKey(), Map.of(), Map.of("type", "md-note", "title", "n" + i)));
        }
        JsonNode first = results(batch(user, operations));
        JsonNode again = results(batch(user, operations));

        for (int i = 0; i < 3; i++) {
            assertThat(again.get(i).get("status").intValue()).isEqualTo(201);
            assertThat(again.get(i).get("headers").get("Idempotent-Replayed").stringValue()).isEqualTo("true");
            assertThat(again.get(i).get("body")).isEqualTo(first.get(i).get("body"));
            assertThat(first.get(i).get("headers").has("Idempotent-Replayed")).isFalse();
        }
        assertThat(eventsOf(user)).hasSize(3);
    }

    @Test
    void aMemberIsTheSameRequestAsWhenSentAloneSoEitherReplaysTheOther() throws Exception {
        String user = newUser();
        String key = newKey();
        String body = "{\"type\":\"md-note\",\"title\":\"alone\"}";
        HttpResponse<String> alone = post(user, body, key);
        assertThat(alone.statusCode()).isEqualTo(201);

        JsonNode member = results(batch(user, List.of(operation("POST", "/api/cards", key, Map.of(),
                Map.of("title", "alone", "type", "md-note"))))).get(0);

        assertThat(member.get("status").intValue()).isEqualTo(201);
        assertThat(member.get("headers").get("Idempotent-Replayed").stringValue()).isEqualTo("true");
        assertThat(member.get("body")).isEqualTo(json(alone));
        assertThat(eventsOf(user)).hasSize(1);
    }

    @Test
    void aDeleteMemberTakesItsVersionInTheQueryAsTheRequestAloneDoes() throws Exception {
        String user = newUser();
        String id = json(post(user, "{\"type\":\"md-note\",\"title\":\"q\"}", newKey())).get("id").stringValue();
        String deleteKey = newKey();

        JsonNode results = results(batch(user, List.of(
                operation("DELETE", "/api/cards/" + id + "?version=5", newKey(), Map.of(), null),
                operation("DELETE", "/api/cards/" + id + "?version=1", deleteKey, Map.of(), null))));

        assertThat(statuses(results)).containsExactly(409, 200);
        assertThat(results.get(0).get("body").get("currentVersion").longValue()).isEqualTo(1);
        assertThat(results.get(0).get("body").get("instance").stringValue()).isEqualTo("/api/cards/" + id);
        assertThat(results.get(1).get("body").get("deleted").booleanValue()).isTrue();
        assertThat(results.get(1).get("body").get("version").longValue()).isEqualTo(2);
        // The same request alone (query and all) is the member again: a replay, nothing written.
        HttpResponse<String> alone = raw("DELETE", "/api/cards/" + id + "?version=1", user, null,
                Map.of("Idempotency-Key", deleteKey));
        assertThat(alone.statusCode()).isEqualTo(200);
        assertThat(header(alone, "Idempotent-Replayed")).isEqualTo("true");
        assertThat(json(alone)).isEqualTo(results.get(1).get("body"));
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void aMembersQueryHoldsOnlyWhatTheRequestAloneReads() throws Exception {
        String user = newUser();
        String id = json(post(user, "{\"type\":\"md-note\",\"title\":\"q\"}", newKey())).get("id").stringValue();
        String card = "/api/cards/" + id;

        JsonNode results = results(batch(user, List.of(
                operation("DELETE", card + "?version=1&version=1", newKey(), Map.of(), null),
                operation("DELETE", card + "?versio=1", newKey(), Map.of(), null),
                operation("DELETE", card + "?version=one", newKey(), Map.of(), null),
                operation("DELETE", card + "?version", newKey(), Map.of(), null),
                operation("DELETE", card + "?version=1", newKey(), Map.of("If-Match", "\"1\""), null),
                operation("DELETE", card + "#version=1", newKey(), Map.of(), null),
                operation("DELETE", "http://elsewhere.example" + card + "?version=1", newKey(), Map.of(), null),
                operation("PATCH", card + "?version=1", newKey(), Map.of(), Map.of("title", "x")),
                operation("POST", "/api/cards?type=md-note", newKey(), Map.of(), Map.of("type", "md-note")),
                operation("DELETE", card + "?version=%zz", newKey(), Map.of(), null))));

        assertThat(statuses(results)).containsOnly(400);
        assertThat(results.size()).isEqualTo(10);
        results.forEach(result -> assertThat(result.get("headers").get("Content-Type").stringValue())
                .isEqualTo(PROBLEM_JSON));
        assertThat(versions(eventsOf(user))).containsExactly(1L);
        assertThat(get(user, card).statusCode()).isEqualTo(200);
    }

    @Test
    void aRetriedBatchReplaysAMembersErrorAsFirstAnswered() throws Exception {
        String user = newUser();
        String id = json(post(user, "{\"type\":\"md-note\",\"title\":\"first\"}", newKey())).get("id").stringValue();
        List<Map<String, Object>> operations = List.of(
                operation("PATCH", "/api/cards/" + id, newKey(), Map.of("If-Match", "\"7\""), Map.of("title", "stale")));

        JsonNode first = results(batch(user, operations)).get(0);
        // The card moves on meanwhile; the retried member's key is checked before its version.
        assertThat(patch(user, id, "{\"title\":\"second\",\"version\":1}").statusCode()).isEqualTo(200);
        JsonNode again = results(batch(user, operations)).get(0);

        assertThat(first.get("status").intValue()).isEqualTo(412);
        assertThat(first.get("headers").has("Idempotent-Replayed")).isFalse();
        assertThat(again.get("status").intValue()).isEqualTo(412);
        assertThat(again.get("headers").get("Idempotent-Replayed").stringValue()).isEqualTo("true");
        assertThat(again.get("body")).isEqualTo(first.get("body"));
        assertThat(again.get("body").get("currentVersion").longValue()).isEqualTo(1);
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void anInvalidMemberGetsItsOwn400AndTheOthersStillApply() throws Exception {
        String user = newUser();
        List<Map<String, Object>> operations = List.of(
                operation("POST", "/api/cards", newKey(), Map.of(), Map.of("type", "md-note", "title", "ok")),
                operation("POST", "/api/cards", newKey(), Map.of(), Map.of("type", "no-such-type")),
                operation("PUT", "/api/cards", newKey(), Map.of(), Map.of("type", "md-note")),
                operation("PATCH", "/api/cards/not-a-uuid", newKey(), Map.of(), Map.of("title", "x")),
                operation("PATCH", "/api/cards/" + UUID.randomUUID(), newKey(), Map.of("X-Other", "1"), Map.of()),
                operation("PATCH", "/api/cards/" + UUID.randomUUID(), newKey(),
                        Map.of("If-Match", "\"1\"", "if-match", "\"2\""), Map.of("title", "x")),
                operation("POST", "/api/cards", newKey(), Map.of(), Map.of("type", "md-note", "title", "also ok")));

        JsonNode results = results(batch(user, operations));

        assertThat(statuses(results)).containsExactly(201, 400, 400, 400, 400, 400, 201);
        for (int i = 1; i <= 5; i++) {
            assertThat(results.get(i).get("headers").get("Content-Type").stringValue()).isEqualTo(PROBLEM_JSON);
            assertThat(results.get(i).get("body").get("status").intValue()).isEqualTo(400);
        }
        assertThat(results.get(3).get("body").get("instance").stringValue()).isEqualTo("/api/cards/not-a-uuid");
        assertThat(versions(eventsOf(user))).containsExactly(1L, 1L);
    }

    @Test
    void hostileMembersGetTheirOwn400NeverA5xxAndWriteNothing() throws Exception {
        String user = newUser();
        List<Object> operations = new ArrayList<>();
        operations.add(operation("POST", "/api/cards", newKey(), Map.of(), Map.of("type", "md-note", "title", "ok")));
        operations.add(Map.of("method", 5, "path", "/api/cards"));
        operations.add(Map.of("method", "GET", "path", "a b"));
        operations.add(Map.of("method", "PATCH", "path", "/api/cards/%zz", "body", Map.of("title", "x")));
        operations.add(Map.of("method", "POST", "path", "/api/cards", "body", List.of(1, 2)));
        operations.add(Map.of("method", "POST", "path", "/api/cards", "headers", List.of("If-Match")));
        operations.add(Map.of("method", "POST", "path", "/api/cards", "idempotencyKey", "k\u0000"));
        operations.add(List.of("not", "an", "object"));
        operations.add(Map.of("method", "POST", "path", "/api/cards", "extra", true));

        HttpResponse<String> response = raw("POST", "/api/batch", user,
                JSON.writeValueAsString(Map.of("operations", operations)), Map.of("Content-Type", "application/json"));

        JsonNode results = results(response);
        assertThat(statuses(results)).containsExactly(201, 400, 400, 400, 400, 400, 400, 400, 400);
        assertThat(results.get(2).get("body").get("instance").stringValue()).isEqualTo("/api/batch");
        assertThat(versions(eventsOf(user))).containsExactly(1L);
    }

    @Test
    void aBatchThatIsNotOneIsRefusedAndWritesNothing() throws Exception {
        String user = newUser();
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(operation("POST", "/api/cards", newKey(), Map.of(), Map.of("type", "md-note", "title", "t")));
        }
        assertProblem(batch(user, tooMany), 400);
        assertProblem(raw("POST", "/api/batch", user, "{\"operations\": []}", Map.of("Content-Type", "application/json")), 400);
        assertProblem(raw("POST", "/api/batch", user, "{\"operations\": [], \"operations\": []}",
                Map.of("Content-Type", "application/json")), 400);
        assertProblem(raw("POST", "/api/batch", user, "{\"ops\": []}", Map.of("Content-Type", "application/json")), 400);
        assertProblem(raw("POST", "/api/batch", user, "[1,2]", Map.of("Content-Type", "application/json")), 400);
        assertProblem(raw("POST", "/api/batch", user, "{\"operations\":", Map.of("Content-Type", "application/json")), 400);
        assertProblem(raw("POST", "/api/batch", user, "{\"operations\": [1]}", Map.of("Content-Type", "text/plain")), 415);
        assertProblem(raw("POST", "/api/batch", null, "{\"operations\": []}", Map.of("Content-Type", "application/json")), 401);
        assertThat(eventsOf(user)).isEmpty();
    }

    @Test
    void aBatchActsOnlyOnTheCallersCards() throws Exception {
        String owner = newUser();
        String id = json(post(owner, "{\"type\":\"md-note\",\"title\":\"mine\"}", newKey())).get("id").stringValue();
        String other = newUser();

        JsonNode results = results(batch(other, List.of(
                operation("PATCH", "/api/cards/" + id, newKey(), Map.of(), Map.of("title", "theirs")),
                operation("DELETE", "/api/cards/" + id, newKey(), Map.of(), null))));

        assertThat(statuses(results)).containsExactly(404, 404);
        assertThat(eventsOf(other)).isEmpty();
        assertThat(json(get(owner, "/api/cards/" + id)).get("title").stringValue()).isEqualTo("mine");
    }

    private HttpResponse<String> batch(String user, List<Map<String, Object>> operations) throws Exception {
        return raw("POST", "/api/batch", user, JSON.writeValueAsString(Map.of("operations", operations)),
                Map.of("Content-Type", "application/json"));
    }

    private static JsonNode results(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).get("results");
    }

    private static List<Integer> statuses(JsonNode results) {
        List<Integer> statuses = new ArrayList<>();
        results.forEach(result -> statuses.add(result.get("status").intValue()));
        return statuses;
    }

    private static Map<String, Object> operation(String method, String path, String key, Map<String, String> headers,
            Map<String, Object> body) {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("method", method);
        operation.put("path", path);
        operation.put("idempotencyKey", key);
        operation.put("headers", headers);
        if (body != null) {
            operation.put("body", body);
        }
        return operation;
    }
}
