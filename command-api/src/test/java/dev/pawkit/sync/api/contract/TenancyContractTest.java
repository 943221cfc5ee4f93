package dev.pawkit.sync.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Contract, "Authentication and tenancy": a card belongs to the user who created it; another user
 * gets 404 for it on every verb, never 403, and cannot change it. Idempotency keys are per user.
 */
class TenancyContractTest extends ContractTest {

    private static final String CARD = "{\"type\":\"md-note\",\"url\":\"https://example.com/owned\",\"title\":\"mine\"}";

    @Test
    void anotherUserGets404OnGetPatchAndDeleteAndTheCardIsUnchanged() throws Exception {
        String owner = newUser();
        String stranger = newUser();
        JsonNode card = createCard(owner, CARD);
        String id = card.get("id").stringValue();

        assertProblem(get(stranger, "/api/cards/" + id), 404);
        assertProblem(patch(stranger, id, "{\"title\":\"stolen\"}"), 404);
        assertProblem(patch(stranger, id, "{\"title\":\"stolen\",\"version\":1}"), 404);
        assertProblem(patch(stranger, id, "{\"title\":\"stolen\"}", Map.of("If-Match", "\"1\"")), 404);
        assertProblem(send("DELETE", "/api/cards/" + id, stranger, null, Map.of()), 404);
        assertProblem(send("DELETE", "/api/cards/" + id + "?version=1", stranger, null, Map.of()), 404);

        assertThat(readCard(owner, id)).isEqualTo(card);
        assertThat(versions(eventsOf(owner))).containsExactly(1L);
        assertThat(eventsOf(stranger)).isEmpty();
        assertThat(liveCardIds(stranger)).isEmpty();
        assertThat(json(get(stranger, "/api/cards/changes")).get("items")).isEmpty();
    }

    @Test
    void anotherUsersCommandStatusIs404NotPendingForEver() throws Exception {
        String owner = newUser();
        String stranger = newUser();
        HttpResponse<String> accepted = send("POST", "/api/cards", owner, CARD,
                Map.of("Idempotency-Key", newKey(), "Prefer", "respond-async"));
        assertThat(accepted.statusCode()).isEqualTo(202);
        String location = header(accepted, "Location");

        assertProblem(get(stranger, location), 404);
        HttpResponse<String> decided = awaitDecision(owner, location);
        assertThat(decided.statusCode()).isEqualTo(201);
        assertProblem(get(stranger, location), 404);
        assertThat(eventsOf(stranger)).isEmpty();
        assertThat(eventsOf(owner)).hasSize(1);
    }

    @Test
    void anotherUsersCardIsNeverForbidden() throws Exception {
        String owner = newUser();
        String stranger = newUser();
        String id = createCard(owner, CARD).get("id").stringValue();

        for (HttpResponse<String> response : java.util.List.of(
                get(stranger, "/api/cards/" + id),
                patch(stranger, id, "{\"title\":\"x\"}"),
                send("DELETE", "/api/cards/" + id, stranger, null, Map.of()))) {
            assertThat(response.statusCode()).isNotEqualTo(403).isEqualTo(404);
            assertThat(response.body()).doesNotContain("example.com/owned").doesNotContain("mine");
        }
        assertThat(versions(eventsOf(owner))).containsExactly(1L);
    }

    @Test
    void anotherUsersDeletedCardIsStill404NotGone() throws Exception {
        // 410 would tell the stranger that the id exists; the card is simply not theirs.
        String owner = newUser();
        String stranger = newUser();
        String id = createCard(owner, CARD).get("id").stringValue();
        assertThat(send("DELETE", "/api/cards/" + id, owner, null, Map.of()).statusCode()).isEqualTo(200);

        assertProblem(patch(stranger, id, "{\"title\":\"x\"}"), 404);
        assertProblem(send("DELETE", "/api/cards/" + id, stranger, null, Map.of()), 404);
        assertProblem(get(stranger, "/api/cards/" + id), 404);
        assertThat(versions(eventsOf(owner))).containsExactly(1L, 2L);
        assertThat(eventsOf(stranger)).isEmpty();
    }

    @Test
    void theSameIdempotencyKeyFromTwoUsersMakesTwoCards() throws Exception {
        String alice = newUser();
        String bob = newUser();
        String key = newKey();
        String body = "{\"type\":\"md-note\",\"title\":\"shared key\"}";

        HttpResponse<String> fromAlice = post(alice, body, key);
        HttpResponse<String> fromBob = post(bob, body, key);

        assertThat(fromAlice.statusCode()).isEqualTo(201);
        assertThat(fromBob.statusCode()).isEqualTo(201);
        assertThat(header(fromAlice, "Idempotent-Replayed")).isNull();
        assertThat(header(fromBob, "Idempotent-Replayed")).as("bob's request is not a replay of alice's").isNull();
        String aliceCard = json(fromAlice).get("id").stringValue();
        String bobCard = json(fromBob).get("id").stringValue();
        assertThat(aliceCard).isNotEqualTo(bobCard);
        assertThat(liveCardIds(alice)).containsExactly(aliceCard);
        assertThat(liveCardIds(bob)).containsExactly(bobCard);
        assertThat(eventsOf(alice)).hasSize(1);
        assertThat(eventsOf(bob)).hasSize(1);
    }

    @Test
    void theSameKeyForDifferentRequestsOfTwoUsersIsNoReuse() throws Exception {
        String alice = newUser();
        String bob = newUser();
        String key = newKey();

        assertThat(post(alice, "{\"type\":\"md-note\",\"title\":\"alice\"}", key).statusCode()).isEqualTo(201);
        HttpResponse<String> fromBob = post(bob, "{\"type\":\"text-note\",\"title\":\"bob\"}", key);

        assertThat(fromBob.statusCode()).as(fromBob.body()).isEqualTo(201);
        assertThat(json(fromBob).get("title").stringValue()).isEqualTo("bob");
        assertThat(eventsOf(alice)).hasSize(1);
        assertThat(eventsOf(bob)).hasSize(1);
    }

    @Test
    void aClientChosenIdTakenByAnotherUserDoesNotTouchTheirCard() throws Exception {
        String owner = newUser();
        String other = newUser();
        JsonNode card = createCard(owner, CARD);
        String id = card.get("id").stringValue();

        HttpResponse<String> sameId = post(other, "{\"id\":\"" + id + "\",\"type\":\"md-note\",\"title\":\"theirs\"}");

        // Card ids are per user (README): the other user gets a card of their own under that id,
        // and the owner's card is neither revealed nor changed.
        assertThat(sameId.statusCode()).as(sameId.body()).isEqualTo(201);
        assertThat(sameId.body()).doesNotContain("example.com/owned");
        assertThat(readCard(other, id).get("title").stringValue()).isEqualTo("theirs");
        assertThat(readCard(owner, id)).isEqualTo(card);
        assertThat(versions(eventsOf(owner))).containsExactly(1L);
        assertThat(versions(eventsOf(other))).containsExactly(1L);
    }
}
