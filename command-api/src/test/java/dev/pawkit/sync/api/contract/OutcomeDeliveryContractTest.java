package dev.pawkit.sync.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Contract, "Outcome delivery": a write answers with the projector's decision; {@code Prefer:
 * respond-async} asks for a 202 at once with {@code Location: /api/commands/{commandId}}, where a
 * GET returns the response the write would have had once it is decided.
 */
class OutcomeDeliveryContractTest extends ContractTest {

    private static final Map<String, String> ASYNC = Map.of("Prefer", "respond-async");
    private static final String COMMAND_LOCATION = "/api/commands/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Test
    void respondAsyncIs202WithTheCommandsLocationAndPollingGivesThe201() throws Exception {
        String user = newUser();

        HttpResponse<String> accepted = send("POST", "/api/cards", user,
                "{\"type\":\"md-note\",\"url\":\"https://example.com/async\",\"title\":\"later\"}", ASYNC);

        String location = assertAccepted(accepted);
        HttpResponse<String> decided = awaitDecision(user, location);
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(201);
        assertThat(header(decided, "Content-Type")).startsWith("application/json");
        JsonNode card = json(decided);
        String id = text(card, "id");
        assertThat(header(decided, "Location")).isEqualTo("/api/cards/" + id);
        assertThat(header(decided, "ETag")).isEqualTo("\"1\"");
        assertThat(header(decided, "Idempotent-Replayed")).isNull();
        assertCardShape(card);
        assertThat(text(card, "title")).isEqualTo("later");
        assertThat(card.get("version").longValue()).isEqualTo(1);
        assertThat(readCard(user, id)).isEqualTo(card);

        // Asking again gives the same decision, and polling wrote nothing more.
        HttpResponse<String> again = get(user, location);
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(json(again)).isEqualTo(card);
        assertThat(eventsOf(user)).hasSize(1);
        assertThat(liveCardIds(user)).containsExactly(id);
    }

    @Test
    void theDecisionOfAnAsyncCreateIsTheSameAsASynchronousAnswer() throws Exception {
        String user = newUser();
        String key = newKey();
        String body = "{\"type\":\"md-note\",\"title\":\"same answer\"}";

        HttpResponse<String> accepted = send("POST", "/api/cards", user, body,
                Map.of("Prefer", "respond-async", "Idempotency-Key", key));
        HttpResponse<String> decided = awaitDecision(user, assertAccepted(accepted));
        HttpResponse<String> retried = post(user, body, key);

        assertThat(decided.statusCode()).isEqualTo(201);
        assertThat(retried.statusCode()).isEqualTo(201);
        assertThat(header(retried, "Idempotent-Replayed")).isEqualTo("true");
        assertThat(json(retried)).isEqualTo(json(decided));
        assertThat(header(retried, "Location")).isEqualTo(header(decided, "Location"));
        assertThat(header(retried, "ETag")).isEqualTo(header(decided, "ETag"));
        assertThat(eventsOf(user)).hasSize(1);
    }

    @Test
    void anAsyncUpdateDecidesTo200WithTheNewETag() throws Exception {
        String user = newUser();
        String id = text(createCard(user, "{\"type\":\"md-note\",\"title\":\"v1\"}"), "id");

        HttpResponse<String> accepted = patch(user, id, "{\"title\":\"v2\",\"version\":1}", ASYNC);

        HttpResponse<String> decided = awaitDecision(user, assertAccepted(accepted));
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
        assertThat(header(decided, "ETag")).isEqualTo("\"2\"");
        assertThat(text(json(decided), "title")).isEqualTo("v2");
        assertThat(json(decided).get("version").longValue()).isEqualTo(2);
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void anAsyncRejectionIsPolledAsTheRejection() throws Exception {
        String user = newUser();
        String id = text(createCard(user, "{\"type\":\"md-note\",\"title\":\"v1\"}"), "id");
        JsonNode v2 = updateCard(user, id, "{\"title\":\"v2\"}");

        HttpResponse<String> conflict = awaitDecision(user,
                assertAccepted(patch(user, id, "{\"title\":\"stale\",\"version\":1}", ASYNC)));
        HttpResponse<String> precondition = awaitDecision(user,
                assertAccepted(patch(user, id, "{\"title\":\"stale\"}", Map.of("Prefer", "respond-async",
                        "If-Match", "\"1\""))));

        assertConflict(conflict, 409, "version-conflict", "Conflict", v2);
        assertConflict(precondition, 412, "precondition-failed", "Precondition Failed", v2);
        assertThat(readCard(user, id)).isEqualTo(v2);
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void anAsyncDeleteOfADeletedCardIsPolledAs410() throws Exception {
        String user = newUser();
        String id = text(createCard(user, "{\"type\":\"md-note\"}"), "id");
        HttpResponse<String> deleted = awaitDecision(user,
                assertAccepted(send("DELETE", "/api/cards/" + id, user, null, ASYNC)));
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted).get("deleted").booleanValue()).isTrue();

        HttpResponse<String> again = awaitDecision(user,
                assertAccepted(send("DELETE", "/api/cards/" + id, user, null, ASYNC)));

        assertProblem(again, 410);
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L);
    }

    @Test
    void aPolledDecisionIsOnlyAnsweredOnceItIsCommitted() throws Exception {
        // A synchronous write answers from committed outcomes only (CommandResultListener reads
        // read_committed). The status URL must not answer earlier: a decision answered there before
        // its transaction commits may still be aborted and never have happened.
        String user = newUser();
        String id = text(createCard(user, "{\"type\":\"md-note\",\"title\":\"0\"}"), "id");

        for (int version = 2; version <= 11; version++) {
            String location = assertAccepted(patch(user, id, "{\"title\":\"" + version + "\"}", ASYNC));
            HttpResponse<String> decided = awaitDecision(user, location);
            assertThat(decided.statusCode()).isEqualTo(200);
            assertThat(json(decided).get("version").longValue()).isEqualTo(version);

            String commandId = location.substring("/api/commands/".length());
            assertThat(committedLog().outcomeOf(commandId))
                    .as("the outcome of command %s (version %d) is committed when the status URL answers it",
                            commandId, version)
                    .isPresent();
        }
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    }

    @Test
    void respondAsyncIsRecognisedAmongOtherPreferences() throws Exception {
        String user = newUser();

        HttpResponse<String> accepted = send("POST", "/api/cards", user, "{\"type\":\"md-note\"}",
                Map.of("Prefer", "return=minimal, respond-async; wait=5"));

        HttpResponse<String> decided = awaitDecision(user, assertAccepted(accepted));
        assertThat(decided.statusCode()).isEqualTo(201);
        assertThat(eventsOf(user)).hasSize(1);
    }

    @Test
    void badInputIsRefusedAtOnceEvenWhenAsyncIsPreferred() throws Exception {
        String user = newUser();

        HttpResponse<String> refused = send("POST", "/api/cards", user, "{\"type\":\"md-note\",\"title\":5}", ASYNC);

        assertProblem(refused, 400);
        assertThat(eventsOf(user)).isEmpty();
    }

    @Test
    void aWriteWithoutPreferCarriesTheDecisionNotA202() throws Exception {
        String user = newUser();
        String id = text(createCard(user, "{\"type\":\"md-note\",\"title\":\"v1\"}"), "id");

        HttpResponse<String> conflict = patch(user, id, "{\"title\":\"x\",\"version\":9}");

        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(versions(eventsOf(user))).containsExactly(1L);
    }

    @Test
    void anUnknownCommandIdIs404() throws Exception {
        String user = newUser();

        // A random (version 4) UUID was never a command id.
        HttpResponse<String> unknown = get(user, "/api/commands/" + UUID.randomUUID());
        // A command id of two days ago is past the 24 h the decisions are kept.
        HttpResponse<String> expired = get(user, "/api/commands/" + timeOrderedId(Instant.now().minus(Duration.ofDays(2))));

        assertProblem(unknown, 404);
        assertProblem(expired, 404);
    }

    @Test
    void anotherUserCannotReadACommandsDecision() throws Exception {
        String owner = newUser();
        String stranger = newUser();
        String location = assertAccepted(send("POST", "/api/cards", owner,
                "{\"type\":\"md-note\",\"title\":\"private title\"}", ASYNC));
        HttpResponse<String> decided = awaitDecision(owner, location);
        assertThat(decided.statusCode()).isEqualTo(201);
        String id = text(json(decided), "id");

        HttpResponse<String> peek = get(stranger, location);

        // Not the decision, and nothing of the card: as implemented, the stranger sees "pending" (202)
        // because the status endpoint cannot tell another user's command from an undecided one.
        assertThat(peek.statusCode()).isNotEqualTo(201).isNotEqualTo(403).isIn(202, 404);
        assertThat(peek.body()).doesNotContain(id).doesNotContain("private title");
        assertThat(header(peek, "Location")).isNull();
        assertThat(eventsOf(stranger)).isEmpty();
        assertThat(eventsOf(owner)).hasSize(1);
    }

    /** Checks a 202 and returns its Location. */
    private static String assertAccepted(HttpResponse<String> accepted) {
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String location = header(accepted, "Location");
        assertThat(location).isNotNull().matches(COMMAND_LOCATION);
        JsonNode body = json(accepted);
        assertThat(text(body, "commandId")).isEqualTo(location.substring("/api/commands/".length()));
        assertThat(text(body, "status")).isEqualTo("pending");
        return location;
    }

    /** A UUID laid out as a version 7 id of the given time, like the API's command ids. */
    private static String timeOrderedId(Instant at) {
        SecureRandom random = new SecureRandom();
        long high = (at.toEpochMilli() << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
