package dev.pawkit.sync.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Contract, "Reads": a card with its ETag (304 on a matching If-None-Match, 404 when deleted or
 * unknown); the list of live cards paged by an opaque cursor; the change feed in applied order,
 * tombstones included, continuing from {@code since}.
 */
class ReadsContractTest extends ContractTest {

    @Test
    void aCardIsReadWithItsETag() throws Exception {
        String user = newUser();
        JsonNode created = createCard(user, "{\"type\":\"md-note\",\"title\":\"read me\"}");
        String id = text(created, "id");

        HttpResponse<String> read = get(user, "/api/cards/" + id);

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(header(read, "Content-Type")).startsWith("application/json");
        assertThat(header(read, "ETag")).isEqualTo("\"1\"");
        assertThat(json(read)).isEqualTo(created);

        updateCard(user, id, "{\"title\":\"changed\"}");
        assertThat(header(get(user, "/api/cards/" + id), "ETag")).isEqualTo("\"2\"");
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void aMatchingIfNoneMatchIs304AndAStaleOneGetsTheCard() throws Exception {
        String user = newUser();
        String id = text(createCard(user, "{\"type\":\"md-note\",\"title\":\"cached\"}"), "id");

        HttpResponse<String> notModified = send("GET", "/api/cards/" + id, user, null, Map.of("If-None-Match", "\"1\""));

        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(header(notModified, "ETag")).isEqualTo("\"1\"");

        updateCard(user, id, "{\"title\":\"fresh\"}");
        HttpResponse<String> modified = send("GET", "/api/cards/" + id, user, null, Map.of("If-None-Match", "\"1\""));

        assertThat(modified.statusCode()).isEqualTo(200);
        assertThat(header(modified, "ETag")).isEqualTo("\"2\"");
        assertThat(text(json(modified), "title")).isEqualTo("fresh");
        assertThat(send("GET", "/api/cards/" + id, user, null, Map.of("If-None-Match", "\"1\", \"2\"")).statusCode())
                .isEqualTo(304);
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void anUnknownOrDeletedCardIs404() throws Exception {
        String user = newUser();
        String id = text(createCard(user, "{\"type\":\"md-note\"}"), "id");
        assertThat(send("DELETE", "/api/cards/" + id, user, null, Map.of()).statusCode()).isEqualTo(200);

        assertProblem(get(user, "/api/cards/" + id), 404);
        assertProblem(send("GET", "/api/cards/" + id, user, null, Map.of("If-None-Match", "\"1\"")), 404);
        assertProblem(get(user, "/api/cards/" + java.util.UUID.randomUUID()), 404);
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void anEmptyListHasNoItemsAndANullCursor() throws Exception {
        String user = newUser();

        HttpResponse<String> list = get(user, "/api/cards");

        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode body = json(list);
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("items", "nextCursor");
        assertThat(body.get("items").isArray()).isTrue();
        assertThat(body.get("items")).isEmpty();
        assertThat(body.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void theListPagesThroughEveryLiveCardOnceAndLeavesOutDeletedOnes() throws Exception {
        String user = newUser();
        Set<String> live = new HashSet<>();
        List<String> deleted = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            live.add(text(createCard(user, "{\"type\":\"md-note\",\"title\":\"card " + i + "\"}"), "id"));
        }
        for (String id : List.copyOf(live).subList(0, 2)) {
            assertThat(send("DELETE", "/api/cards/" + id, user, null, Map.of()).statusCode()).isEqualTo(200);
            live.remove(id);
            deleted.add(id);
        }

        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            HttpResponse<String> page = get(user, "/api/cards?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode body = json(page);
            assertThat(body.propertyNames()).containsExactlyInAnyOrder("items", "nextCursor");
            body.get("items").forEach(card -> {
                assertCardShape(card);
                assertThat(card.get("deleted").booleanValue()).isFalse();
                seen.add(card.get("id").stringValue());
            });
            pageSizes.add(body.get("items").size());
            cursor = body.get("nextCursor").isNull() ? null : body.get("nextCursor").stringValue();
            assertThat(pageSizes).as("the list ends").hasSizeLessThan(10);
        } while (cursor != null);

        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(live);
        assertThat(seen).doesNotContainAnyElementsOf(deleted);
        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(eventsOf(user)).hasSize(9);
    }

    @Test
    void aFullLastPageEndsWithANullCursor() throws Exception {
        String user = newUser();
        for (int i = 0; i < 4; i++) {
            createCard(user, "{\"type\":\"md-note\"}");
        }

        JsonNode first = json(get(user, "/api/cards?limit=2"));
        JsonNode second = json(get(user, "/api/cards?limit=2&cursor=" + first.get("nextCursor").stringValue()));

        assertThat(first.get("items")).hasSize(2);
        assertThat(first.get("nextCursor").isString()).isTrue();
        assertThat(second.get("items")).hasSize(2);
        assertThat(second.get("nextCursor").isNull()).as("no more cards after a full last page").isTrue();
        assertThat(eventsOf(user)).hasSize(4);
    }

    @Test
    void theListDefaultsTo100AndAcceptsLimit1000() throws Exception {
        String user = newUser();
        createCard(user, "{\"type\":\"md-note\"}");

        HttpResponse<String> defaults = get(user, "/api/cards");
        HttpResponse<String> max = get(user, "/api/cards?limit=1000");
        HttpResponse<String> min = get(user, "/api/cards?limit=1");

        assertThat(defaults.statusCode()).isEqualTo(200);
        assertThat(max.statusCode()).isEqualTo(200);
        assertThat(min.statusCode()).isEqualTo(200);
        assertThat(json(max).get("items")).hasSize(1);
        assertThat(json(min).get("nextCursor").isNull()).isTrue();
    }

    @Test
    void theChangeFeedListsEachChangedCardOnceAtItsLatestChangeInAppliedOrder() throws Exception {
        String user = newUser();
        String a = text(createCard(user, "{\"type\":\"md-note\",\"title\":\"a\"}"), "id");
        String b = text(createCard(user, "{\"type\":\"md-note\",\"title\":\"b\"}"), "id");
        String c = text(createCard(user, "{\"type\":\"md-note\",\"title\":\"c\"}"), "id");
        updateCard(user, a, "{\"title\":\"a2\"}");
        assertThat(send("DELETE", "/api/cards/" + b, user, null, Map.of()).statusCode()).isEqualTo(200);

        HttpResponse<String> feed = get(user, "/api/cards/changes");

        assertThat(feed.statusCode()).isEqualTo(200);
        JsonNode body = json(feed);
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("items", "nextSince", "hasMore");
        assertThat(ids(body)).containsExactly(c, a, b);
        JsonNode items = body.get("items");
        assertThat(items.get(0).get("version").longValue()).isEqualTo(1);
        assertThat(text(items.get(1), "title")).isEqualTo("a2");
        assertThat(items.get(1).get("version").longValue()).isEqualTo(2);
        assertThat(items.get(2).get("deleted").booleanValue()).as("tombstones are in the feed").isTrue();
        assertThat(items.get(2).get("version").longValue()).isEqualTo(2);
        assertCardShape(items.get(2));
        assertThat(body.get("nextSince").isString()).isTrue();
        assertThat(body.get("hasMore").booleanValue()).isFalse();
        assertThat(versions(eventsOf(user))).containsExactly(1L, 1L, 1L, 2L, 2L);
    }

    @Test
    void sinceContinuesWhereTheLastPageLeftOff() throws Exception {
        String user = newUser();
        String a = text(createCard(user, "{\"type\":\"md-note\",\"title\":\"a\"}"), "id");
        String b = text(createCard(user, "{\"type\":\"md-note\",\"title\":\"b\"}"), "id");
        String c = text(createCard(user, "{\"type\":\"md-note\",\"title\":\"c\"}"), "id");

        JsonNode first = json(get(user, "/api/cards/changes?limit=2"));
        assertThat(ids(first)).containsExactly(a, b);
        assertThat(first.get("hasMore").booleanValue()).isTrue();
        JsonNode second = json(get(user, "/api/cards/changes?limit=2&since=" + first.get("nextSince").stringValue()));
        assertThat(ids(second)).containsExactly(c);
        assertThat(second.get("hasMore").booleanValue()).isFalse();

        // Nothing new: an empty page that keeps the position.
        String caughtUp = second.get("nextSince").stringValue();
        JsonNode idle = json(get(user, "/api/cards/changes?since=" + caughtUp));
        assertThat(idle.get("items")).isEmpty();
        assertThat(idle.get("hasMore").booleanValue()).isFalse();
        assertThat(idle.get("nextSince").stringValue()).isEqualTo(caughtUp);

        // Later changes, a tombstone among them, come after that position and nothing else does.
        updateCard(user, a, "{\"title\":\"a2\"}");
        assertThat(send("DELETE", "/api/cards/" + c, user, null, Map.of()).statusCode()).isEqualTo(200);
        JsonNode delta = json(get(user, "/api/cards/changes?since=" + caughtUp));
        assertThat(ids(delta)).containsExactly(a, c);
        assertThat(text(delta.get("items").get(0), "title")).isEqualTo("a2");
        assertThat(delta.get("items").get(1).get("deleted").booleanValue()).isTrue();
        assertThat(delta.get("hasMore").booleanValue()).isFalse();
        assertThat(eventsOf(user)).hasSize(5);
    }

    @Test
    void aCardChangedSeveralTimesBetweenSyncsAppearsOnceAtItsCurrentState() throws Exception {
        String user = newUser();
        String id = text(createCard(user, "{\"type\":\"md-note\",\"title\":\"0\"}"), "id");
        String since = json(get(user, "/api/cards/changes")).get("nextSince").stringValue();
        for (int i = 1; i <= 3; i++) {
            updateCard(user, id, "{\"title\":\"" + i + "\"}");
        }

        JsonNode delta = json(get(user, "/api/cards/changes?since=" + since));

        assertThat(ids(delta)).containsExactly(id);
        assertThat(text(delta.get("items").get(0), "title")).isEqualTo("3");
        assertThat(delta.get("items").get(0).get("version").longValue()).isEqualTo(4);
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void anEmptyFeedHasNoItemsNoMoreAndACursor() throws Exception {
        String user = newUser();

        HttpResponse<String> feed = get(user, "/api/cards/changes");

        assertThat(feed.statusCode()).isEqualTo(200);
        JsonNode body = json(feed);
        assertThat(body.get("items")).isEmpty();
        assertThat(body.get("hasMore").booleanValue()).isFalse();
        assertThat(body.get("nextSince").isString()).isTrue();
        assertThat(json(get(user, "/api/cards/changes?since=" + body.get("nextSince").stringValue())).get("items")).isEmpty();
    }

    @Test
    void updatesThatChangeNothingDoNotAppearInTheFeed() throws Exception {
        String user = newUser();
        String id = text(createCard(user, "{\"type\":\"md-note\",\"title\":\"same\"}"), "id");
        String since = json(get(user, "/api/cards/changes")).get("nextSince").stringValue();

        updateCard(user, id, "{\"title\":\"same\"}");

        assertThat(json(get(user, "/api/cards/changes?since=" + since)).get("items")).isEmpty();
        assertThat(eventsOf(user)).hasSize(1);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("id").stringValue()));
        return ids;
    }
}
