package dev.pawkit.sync.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.CardEvent.CardCreated;
import dev.pawkit.sync.domain.log.EventEnvelope;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Contract, "Card" and "Writes" for {@code POST /api/cards}: 201, the card as body, its Location
 * and {@code ETag: "1"}; a client-chosen id is used; an id the user already has is a 409.
 */
class CreateContractTest extends ContractTest {

    @Test
    void createAnswers201WithLocationETagAndTheWholeCard() throws Exception {
        String user = newUser();
        String body = """
                {"type":"url","url":"https://example.com/article?x=1","title":"An article",
                 "notes":"read later","content":"# body","tags":["reading"," java ","reading"],
                 "collections":["inbox"],"pinned":true,
                 "metadata":{"description":"about things","image":"https://example.com/a.png"}}
                """;

        HttpResponse<String> created = post(user, body);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(header(created, "Content-Type")).startsWith("application/json");
        JsonNode card = json(created);
        String id = text(card, "id");
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(header(created, "Location")).isEqualTo("/api/cards/" + id);
        assertThat(header(created, "ETag")).isEqualTo("\"1\"");
        assertThat(header(created, "Idempotent-Replayed")).isNull();

        assertCardShape(card);
        assertThat(text(card, "type")).isEqualTo("url");
        assertThat(text(card, "url")).isEqualTo("https://example.com/article?x=1");
        assertThat(text(card, "title")).isEqualTo("An article");
        assertThat(text(card, "notes")).isEqualTo("read later");
        assertThat(text(card, "content")).isEqualTo("# body");
        // README "Limits": tags trimmed, duplicates dropped, order kept.
        assertThat(strings(card.get("tags"))).containsExactly("reading", "java");
        assertThat(strings(card.get("collections"))).containsExactly("inbox");
        assertThat(card.get("pinned").isBoolean()).isTrue();
        assertThat(card.get("pinned").booleanValue()).isTrue();
        assertThat(text(card.get("metadata"), "description")).isEqualTo("about things");
        assertThat(text(card.get("metadata"), "image")).isEqualTo("https://example.com/a.png");
        assertThat(card.get("version").isIntegralNumber()).isTrue();
        assertThat(card.get("version").longValue()).isEqualTo(1);
        assertThat(card.get("deleted").isBoolean()).isTrue();
        assertThat(card.get("deleted").booleanValue()).isFalse();
        assertRfc3339(text(card, "createdAt"));
        assertRfc3339(text(card, "updatedAt"));
        assertThat(time(card, "updatedAt")).isEqualTo(time(card, "createdAt"));

        assertThat(readCard(user, id)).isEqualTo(card);
        List<EventEnvelope> events = eventsOf(user);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).cardId()).isEqualTo(id);
        assertThat(events.get(0).version()).isEqualTo(1);
        assertThat(events.get(0).event()).isInstanceOf(CardCreated.class);
    }

    @Test
    void aMinimalCardShowsEveryFieldWithEmptyDefaults() throws Exception {
        String user = newUser();

        JsonNode card = createCard(user, "{\"type\":\"md-note\"}");

        assertCardShape(card);
        assertThat(text(card, "type")).isEqualTo("md-note");
        assertThat(card.get("url").isNull()).isTrue();
        assertThat(card.get("title").isNull()).isTrue();
        assertThat(card.get("tags").isArray()).isTrue();
        assertThat(card.get("tags")).isEmpty();
        assertThat(card.get("collections").isArray()).isTrue();
        assertThat(card.get("collections")).isEmpty();
        assertThat(card.get("pinned").booleanValue()).isFalse();
        assertThat(card.get("version").longValue()).isEqualTo(1);
        assertThat(card.get("deleted").booleanValue()).isFalse();
        assertThat(eventsOf(user)).hasSize(1);
    }

    @Test
    void everyCardTypeCanBeCreated() throws Exception {
        String user = newUser();

        JsonNode url = createCard(user, "{\"type\":\"url\",\"url\":\"http://example.com\"}");
        JsonNode md = createCard(user, "{\"type\":\"md-note\",\"content\":\"# md\"}");
        JsonNode text = createCard(user, "{\"type\":\"text-note\",\"content\":\"plain\"}");

        assertThat(List.of(text(url, "type"), text(md, "type"), text(text, "type")))
                .containsExactly("url", "md-note", "text-note");
        assertThat(eventsOf(user)).hasSize(3);
        assertThat(liveCardIds(user)).containsExactlyInAnyOrder(text(url, "id"), text(md, "id"), text(text, "id"));
    }

    @Test
    void aClientChosenUuidIsTheCardsId() throws Exception {
        String user = newUser();
        String id = UUID.randomUUID().toString();

        HttpResponse<String> created = post(user, "{\"id\":\"" + id + "\",\"type\":\"text-note\",\"title\":\"offline\"}");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(text(json(created), "id")).isEqualTo(id);
        assertThat(header(created, "Location")).isEqualTo("/api/cards/" + id);
        assertThat(text(readCard(user, id), "title")).isEqualTo("offline");
        assertThat(eventsOf(user, id)).hasSize(1);
        assertThat(eventsOf(user)).hasSize(1);
    }

    @Test
    void aCreateWithAnIdTheUserAlreadyHasIs409CardExistsWithTheCurrentCard() throws Exception {
        String user = newUser();
        String id = UUID.randomUUID().toString();
        JsonNode original = createCard(user, "{\"id\":\"" + id + "\",\"type\":\"md-note\",\"title\":\"first\"}");
        JsonNode current = updateCard(user, id, "{\"title\":\"edited\"}");

        HttpResponse<String> again = post(user, "{\"id\":\"" + id + "\",\"type\":\"md-note\",\"title\":\"second\"}");

        JsonNode problem = assertConflict(again, 409, "card-exists", "Conflict", current);
        assertThat(problem.get("currentCard").get("title").stringValue()).isEqualTo("edited");
        assertThat(header(again, "Location")).isNull();
        assertThat(readCard(user, id)).isEqualTo(current);
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
        assertThat(original.get("version").longValue()).isEqualTo(1);
    }

    @Test
    void aDeletedCardsIdCannotBeCreatedAgain() throws Exception {
        String user = newUser();
        String id = UUID.randomUUID().toString();
        createCard(user, "{\"id\":\"" + id + "\",\"type\":\"md-note\",\"title\":\"first\"}");
        assertThat(send("DELETE", "/api/cards/" + id, user, null, Map.of()).statusCode()).isEqualTo(200);

        HttpResponse<String> again = post(user, "{\"id\":\"" + id + "\",\"type\":\"md-note\",\"title\":\"again\"}");

        // A deleted card never comes back; the id stays taken (409 card-exists, the tombstone as current).
        JsonNode problem = assertProblem(again, 409, "card-exists");
        assertThat(problem.get("currentCard").get("deleted").booleanValue()).isTrue();
        assertThat(problem.get("currentVersion").longValue()).isEqualTo(2);
        assertProblem(get(user, "/api/cards/" + id), 404);
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void documentedLimitsAreAcceptedAtTheirBounds() throws Exception {
        String user = newUser();
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            tags.add(("t" + i + "x".repeat(100)).substring(0, 100));
        }
        String body = JSON.writeValueAsString(Map.of(
                "type", "url",
                "url", "https://example.com/" + "p".repeat(2048 - "https://example.com/".length()),
                "title", "t".repeat(1000),
                "notes", "n".repeat(100_000),
                "tags", tags,
                "collections", List.of("c".repeat(200)),
                "metadata", Map.of("description", "d".repeat(2000))));

        HttpResponse<String> created = post(user, body);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode card = json(created);
        assertThat(text(card, "title")).hasSize(1000);
        assertThat(text(card, "url")).hasSize(2048);
        assertThat(card.get("tags")).hasSize(100);
        assertThat(eventsOf(user)).hasSize(1);
    }

    @Test
    void aTitleCountsCharactersNotBytes() throws Exception {
        String user = newUser();

        // 1000 characters of 3 bytes each (the euro sign) in UTF-8: at the limit, not over it.
        JsonNode card = createCard(user, "{\"type\":\"md-note\",\"title\":\"" + "\u20ac".repeat(1000) + "\"}");

        assertThat(text(card, "title")).isEqualTo("\u20ac".repeat(1000));
        assertThat(eventsOf(user)).hasSize(1);
    }

    private List<EventEnvelope> eventsOf(String user, String cardId) {
        return committedLog().eventsOf(user, cardId);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.stringValue()));
        return values;
    }
}
