package dev.pawkit.sync.api.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.ApiIntegrationTest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A card's life, create → 5 updates → delete, read back as history and as it stood at each point. */
class HistoryAndTimeTravelTest extends ApiIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void historyListsEveryEventWithItsChangesAndCauseAndTimeTravelShowsEachVersion() throws Exception {
        String user = "history-" + UUID.randomUUID();
        String createKey = UUID.randomUUID().toString();
        HttpResponse<String> created = send("POST", "/api/cards", user,
                "{\"type\":\"url\",\"url\":\"https://example.com\",\"title\":\"t0\",\"tags\":[\"a\"]}",
                Map.of("Idempotency-Key", createKey, "X-Client-Id", "desktop-1"));
        assertThat(created.statusCode()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        List<Instant> times = new ArrayList<>();
        times.add(Instant.parse(JSON.readTree(created.body()).get("updatedAt").stringValue()));
        for (int i = 1; i <= 5; i++) {
            HttpResponse<String> updated = send("PATCH", location, user, "{\"title\":\"t" + i + "\",\"version\":" + i + "}",
                    Map.of("Idempotency-Key", "update-" + i));
            assertThat(updated.statusCode()).isEqualTo(200);
            times.add(Instant.parse(JSON.readTree(updated.body()).get("updatedAt").stringValue()));
        }
        assertThat(send("DELETE", location + "?version=6", user, null, Map.of()).statusCode()).isEqualTo(200);

        // History, paged 3 by 3: 7 events in version order.
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = JSON.readTree(send("GET", location + "/history?limit=3"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)),
                    user, null, Map.of()).body());
            page.get("items").forEach(items::add);
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").stringValue();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(items).extracting(i -> i.get("version").longValue()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(items).extracting(i -> i.get("type").stringValue())
                .containsExactly("created", "updated", "updated", "updated", "updated", "updated", "deleted");

        JsonNode first = items.get(0);
        assertThat(first.get("userId").stringValue()).isEqualTo(user);
        assertThat(first.get("actor").stringValue()).isEqualTo(user);
        assertThat(first.get("idempotencyKey").stringValue()).isEqualTo(createKey);
        assertThat(first.get("clientId").stringValue()).isEqualTo("desktop-1");
        assertThat(first.get("commandId").stringValue()).matches("[0-9a-f-]{36}");
        assertThat(first.get("at").stringValue()).isEqualTo(times.get(0).toString());
        assertThat(changes(first)).containsEntry("title", List.of("null", "\"t0\""))
                .containsEntry("url", List.of("null", "\"https://example.com\""))
                .containsEntry("tags", List.of("[]", "[\"a\"]"))
                .containsEntry("type", List.of("null", "\"url\""));

        JsonNode third = items.get(2);
        assertThat(third.get("idempotencyKey").stringValue()).isEqualTo("update-2");
        assertThat(third.get("clientId").isNull()).isTrue();
        assertThat(changes(third)).containsExactly(Map.entry("title", List.of("\"t1\"", "\"t2\"")));
        assertThat(changes(items.get(6))).containsExactly(Map.entry("deleted", List.of("false", "true")));

        // As of each version: the title of that version; the last is a tombstone.
        for (int v = 1; v <= 6; v++) {
            HttpResponse<String> then = send("GET", location + "?asOfVersion=" + v, user, null, Map.of());
            assertThat(then.statusCode()).isEqualTo(200);
            assertThat(then.headers().firstValue("ETag")).contains("\"" + v + "\"");
            JsonNode card = JSON.readTree(then.body());
            assertThat(card.get("title").stringValue()).isEqualTo("t" + (v - 1));
            assertThat(card.get("version").longValue()).isEqualTo(v);
            assertThat(card.get("deleted").booleanValue()).isFalse();
        }
        JsonNode tombstone = JSON.readTree(send("GET", location + "?asOfVersion=7", user, null, Map.of()).body());
        assertThat(tombstone.get("deleted").booleanValue()).isTrue();
        assertThat(tombstone.get("title").stringValue()).isEqualTo("t5");
        assertThat(send("GET", location + "?asOfVersion=8", user, null, Map.of()).statusCode()).isEqualTo(404);

        // As of a time: the version current then; before the creation, nothing.
        for (int v = 1; v <= 6; v++) {
            JsonNode card = JSON.readTree(send("GET", location + "?asOf=" + times.get(v - 1), user, null, Map.of()).body());
            assertThat(card.get("version").longValue()).as("as of %s", times.get(v - 1)).isGreaterThanOrEqualTo(v);
        }
        assertThat(send("GET", location + "?asOf=" + times.get(0).minusMillis(1), user, null, Map.of()).statusCode())
                .isEqualTo(404);
        JsonNode now = JSON.readTree(send("GET", location + "?asOf=" + Instant.now().plusSeconds(60), user, null,
                Map.of()).body());
        assertThat(now.get("deleted").booleanValue()).isTrue();
        assertThat(now.get("version").longValue()).isEqualTo(7);

        // The card itself is gone; its history is not.
        assertThat(send("GET", location, user, null, Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void anotherUsersCardHasNoHistoryAndNoPast() throws Exception {
        String owner = "history-owner-" + UUID.randomUUID();
        HttpResponse<String> created = send("POST", "/api/cards", owner, "{\"type\":\"md-note\",\"title\":\"mine\"}", Map.of());
        String location = created.headers().firstValue("Location").orElseThrow();
        String other = "history-other-" + UUID.randomUUID();
        assertThat(send("GET", location + "/history", other, null, Map.of()).statusCode()).isEqualTo(404);
        assertThat(send("GET", location + "?asOfVersion=1", other, null, Map.of()).statusCode()).isEqualTo(404);
        assertThat(send("GET", location + "/history", owner, null, Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void badTimeTravelAndHistoryParametersAre400() throws Exception {
        String user = "history-bad-" + UUID.randomUUID();
        HttpResponse<String> created = send("POST", "/api/cards", user, "{\"type\":\"md-note\"}", Map.of());
        String location = created.headers().firstValue("Location").orElseThrow();
        for (String query : List.of("?asOfVersion=0", "?asOfVersion=x", "?asOf=yesterday", "?asOf=2026-01-01",
                "?asOfVersion=1&asOf=2026-01-01T00:00:00Z", "/history?limit=0", "/history?cursor=bm9wZQ")) {
            HttpResponse<String> response = send("GET", location + query, user, null, Map.of());
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(query).contains("application/problem+json");
        }
    }

    /** field → [before, after], as JSON text, so null, strings and lists compare exactly. */
    private static Map<String, List<String>> changes(JsonNode entry) {
        Map<String, List<String>> changes = new java.util.LinkedHashMap<>();
        entry.get("changes").forEach(c -> changes.put(c.get("field").stringValue(),
                List.of(c.get("before").toString(), c.get("after").toString())));
        return changes;
    }
}
