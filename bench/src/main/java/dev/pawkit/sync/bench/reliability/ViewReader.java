package dev.pawkit.sync.bench.reliability;

import dev.pawkit.sync.bench.CardApi;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The views as a client reads them after the run, over HTTP: each user's whole change feed
 * ({@code GET /api/cards/changes}, page after page) and every card the history or the log names
 * ({@code GET /api/cards/{id}}).
 */
public final class ViewReader {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CardApi api;

    public ViewReader(CardApi api) {
        this.api = api;
    }

    /** The cards of the history's users; an answer other than 200 or 404 is an {@link IllegalStateException}. */
    public List<ViewedCard> read(List<Exchange> history, List<LoggedEvent> events)
            throws IOException, InterruptedException {
        Map<String, Set<String>> cardsByUser = new LinkedHashMap<>();
        history.forEach(e -> cardsByUser.computeIfAbsent(e.request().user(), u -> new LinkedHashSet<>())
                .add(e.request().cardId()));
        events.stream().filter(e -> cardsByUser.containsKey(e.user()))
                .forEach(e -> cardsByUser.get(e.user()).add(e.cardId()));
        List<ViewedCard> views = new ArrayList<>();
        for (Map.Entry<String, Set<String>> user : cardsByUser.entrySet()) {
            views.addAll(changes(user.getKey()));
            for (String cardId : user.getValue()) {
                views.add(card(user.getKey(), cardId));
            }
        }
        return views;
    }

    private List<ViewedCard> changes(String user) throws IOException, InterruptedException {
        List<ViewedCard> items = new ArrayList<>();
        String since = null;
        while (true) {
            JsonNode page = JSON.readTree(ok(get(user, "/api/cards/changes?limit=1000"
                    + (since == null ? "" : "&since=" + since))).body());
            for (JsonNode item : page.path("items")) {
                items.add(viewed(ViewedCard.Source.CHANGES, user, item));
            }
            since = text(page.path("nextSince"));
            if (!flag(page.path("hasMore"))) {
                return items;
            }
        }
    }

    private ViewedCard card(String user, String cardId) throws IOException, InterruptedException {
        HttpResponse<String> response = get(user, "/api/cards/" + cardId);
        if (response.statusCode() == 404) {
            return ViewedCard.notFound(user, cardId);
        }
        return viewed(ViewedCard.Source.CARD, user, JSON.readTree(ok(response).body()));
    }

    private static ViewedCard viewed(ViewedCard.Source source, String user, JsonNode card) {
        JsonNode version = card.path("version");
        return new ViewedCard(source, user, text(card.path("id")), true,
                version.isIntegralNumber() ? version.longValue() : -1, flag(card.path("deleted")),
                text(card.path("title")));
    }

    private static String text(JsonNode node) {
        return node.isString() ? node.stringValue() : null;
    }

    private static boolean flag(JsonNode node) {
        return node.isBoolean() && node.booleanValue();
    }

    private HttpResponse<String> get(String user, String path) throws IOException, InterruptedException {
        return api.send("GET", path, user, null, Map.of(), TIMEOUT);
    }

    private static HttpResponse<String> ok(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(response.request().uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response;
    }
}
