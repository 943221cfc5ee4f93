package dev.pawkit.sync.client;

import dev.pawkit.sync.testsupport.Tokens;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the server has, read directly (not through the proxy, not through the client under test):
 * the ground truth for "applied exactly once, none lost". A card's history lists every event with
 * the idempotency key of the request that caused it.
 */
final class ServerReads {

    /** One event of a card's history. */
    record Event(long version, String type, String idempotencyKey) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI server;
    private final String token;

    ServerReads(URI server, String user) {
        this.server = server;
        this.token = Tokens.forUser(user);
    }

    Optional<JsonNode> card(String id) {
        HttpResponse<String> response = get("/api/cards/" + id);
        return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
    }

    /** Every event of the card, oldest first (the history endpoint, paged). */
    List<Event> history(String id) {
        List<Event> events = new ArrayList<>();
        String cursor = null;
        do {
            HttpResponse<String> response = get("/api/cards/" + id + "/history?limit=1000"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            if (response.statusCode() == 404) {
                return events;
            }
            JsonNode page = JSON.readTree(response.body());
            page.get("items").values().forEach(item -> events.add(new Event(item.get("version").asLong(),
                    item.get("type").asString(), item.path("idempotencyKey").asString(null))));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asString(null);
        } while (cursor != null);
        return events;
    }

    /** The user's live cards. */
    List<JsonNode> liveCards() {
        List<JsonNode> cards = new ArrayList<>();
        String cursor = null;
        do {
            HttpResponse<String> response = get("/api/cards?limit=1000"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            JsonNode page = JSON.readTree(response.body());
            cards.addAll(page.get("items").values());
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asString(null);
        } while (cursor != null);
        return cards;
    }

    /** The whole change feed from the beginning: one entry per changed card, tombstones included. */
    List<JsonNode> changes() {
        List<JsonNode> items = new ArrayList<>();
        String since = null;
        boolean more;
        do {
            HttpResponse<String> response = get("/api/cards/changes?limit=1000"
                    + (since == null ? "" : "&since=" + URLEncoder.encode(since, StandardCharsets.UTF_8)));
            JsonNode page = JSON.readTree(response.body());
            items.addAll(page.get("items").values());
            since = page.get("nextSince").asString();
            more = page.path("hasMore").asBoolean(false);
        } while (more);
        return items;
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(server.resolve(path)).header("Authorization", "Bearer " + token)
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
