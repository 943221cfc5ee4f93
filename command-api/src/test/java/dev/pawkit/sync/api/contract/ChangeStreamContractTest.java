package dev.pawkit.sync.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.EventStreamConnection;
import dev.pawkit.sync.api.EventStreamConnection.Event;
import dev.pawkit.sync.testsupport.Tokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/cards/changes/stream}: the caller's changes as they are decided, each event's id
 * the change-feed cursor after it, resumable with {@code Last-Event-ID} or {@code ?since=}
 * without gap or duplicate; bounded; only the caller's cards; bad positions answered 400.
 */
class ChangeStreamContractTest extends ContractTest {

    private static final Duration EVENT_WAIT = Duration.ofSeconds(10);

    @Test
    void everyChangeArrivesAsItIsDecidedWithTheFeedCursorAfterIt() throws Exception {
        String user = newUser();
        try (EventStreamConnection stream = open(user, "", Map.of())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");

            JsonNode created = createCard(user, "{\"type\":\"md-note\",\"title\":\"one\"}");
            String id = text(created, "id");
            Event first = stream.next(EVENT_WAIT);
            assertThat(first.name()).isEqualTo("changes");
            assertThat(items(first)).singleElement().satisfies(card -> {
                assertThat(text(card, "id")).isEqualTo(id);
                assertThat(card.get("version").longValue()).isEqualTo(1);
            });
            // The id is the feed's own cursor: nothing after it yet.
            assertThat(feedAfter(user, first.id()).get("items")).isEmpty();

            updateCard(user, id, "{\"title\":\"two\",\"version\":1}");
            assertThat(send("DELETE", "/api/cards/" + id + "?version=2", user, null, Map.of()).statusCode())
                    .isEqualTo(200);
            Event second = stream.next(EVENT_WAIT);
            Event third = stream.next(EVENT_WAIT);
            assertThat(items(second).get(0).get("title").stringValue()).isEqualTo("two");
            assertThat(items(third).get(0).get("deleted").booleanValue()).isTrue();
            assertThat(items(third).get(0).get("version").longValue()).isEqualTo(3);
            assertThat(feedAfter(user, third.id()).get("items")).isEmpty();
            assertThat(feedAfter(user, second.id()).get("items")).hasSize(1);
        }
        assertThat(versions(eventsOf(user))).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aReconnectWithLastEventIdResumesWithoutGapOrDuplicate() throws Exception {
        String user = newUser();
        String a;
        String lastSeen;
        try (EventStreamConnection stream = open(user, "", Map.of())) {
            a = text(createCard(user, "{\"type\":\"md-note\",\"title\":\"a\"}"), "id");
            lastSeen = stream.next(EVENT_WAIT).id();
        }
        // While no stream is open: a new card, and a change to the one already seen.
        String b = text(createCard(user, "{\"type\":\"md-note\",\"title\":\"b\"}"), "id");
        updateCard(user, a, "{\"title\":\"a2\",\"version\":1}");

        // Last-Event-ID wins over the since of the URL (the first position), as EventSource reconnects.
        String firstPosition = json(get(user, "/api/cards/changes?limit=1")).get("nextSince").stringValue();
        try (EventStreamConnection resumed = open(user, "?since=" + firstPosition, Map.of("Last-Event-ID", lastSeen))) {
            Event catchUp = resumed.next(EVENT_WAIT);
            assertThat(items(catchUp)).extracting(card -> text(card, "id")).containsExactly(b, a);
            assertThat(items(catchUp).get(1).get("version").longValue()).isEqualTo(2);

            String c = text(createCard(user, "{\"type\":\"md-note\",\"title\":\"c\"}"), "id");
            Event live = resumed.next(EVENT_WAIT);
            assertThat(items(live)).extracting(card -> text(card, "id")).containsExactly(c);
            assertThat(resumed.poll(Duration.ofMillis(300))).as("nothing twice").isNull();

            // The same from ?since= alone.
            try (EventStreamConnection bySince = open(user, "?since=" + catchUp.id(), Map.of())) {
                assertThat(items(bySince.next(EVENT_WAIT))).extracting(card -> text(card, "id")).containsExactly(c);
            }
        }
    }

    @Test
    void fromTheBeginningWhenNoPositionIsGivenAndInPagesOfAHundred() throws Exception {
        String user = newUser();
        List<Map<String, Object>> operations = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            operations.add(Map.of("method", "POST", "path", "/api/cards", "idempotencyKey", newKey(),
                    "body", Map.of("type", "md-note", "title", "n" + i)));
        }
        for (int round = 0; round < 2; round++) {
            String body = JSON.writeValueAsString(Map.of("operations", operations.subList(round * 50, round * 50 + 50)));
            assertThat(send("POST", "/api/batch", user, body, Map.of()).statusCode()).isEqualTo(200);
        }
        String extra = text(createCard(user, "{\"type\":\"md-note\",\"title\":\"extra\"}"), "id");
        try (EventStreamConnection stream = open(user, "", Map.of())) {
            Event page = stream.next(EVENT_WAIT);
            Event rest = stream.next(EVENT_WAIT);
            assertThat(items(page)).hasSize(100);
            assertThat(items(rest)).extracting(card -> text(card, "id")).containsExactly(extra);
            assertThat(feedAfter(user, rest.id()).get("items")).isEmpty();
        }
    }

    @Test
    void carriesOnlyTheCallersCards() throws Exception {
        String user = newUser();
        String other = newUser();
        try (EventStreamConnection stream = open(user, "", Map.of())) {
            createCard(other, "{\"type\":\"md-note\",\"title\":\"not yours\"}");
            String mine = text(createCard(user, "{\"type\":\"md-note\",\"title\":\"mine\"}"), "id");
            Event event = stream.next(EVENT_WAIT);
            assertThat(items(event)).extracting(card -> text(card, "id")).containsExactly(mine);
            assertThat(stream.poll(Duration.ofMillis(300))).isNull();
        }
    }

    @Test
    void idleStreamsGetHeartbeatsAndEndAtTheTokensExpiry() throws Exception {
        String user = newUser();
        String shortLived = Tokens.signed(Tokens.SECRET, user, Instant.now().plusSeconds(4));
        try (EventStreamConnection stream = EventStreamConnection.open(http, port, shortLived, "", Map.of())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.awaitEnd(Duration.ofSeconds(30))).as("ended at the token's expiry").isTrue();
            // The connect comment, then at least one heartbeat (every second in these tests).
            assertThat(stream.comments()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void badPositionsAreRefusedWith400() throws Exception {
        String user = newUser();
        String other = newUser();
        createCard(user, "{\"type\":\"md-note\",\"title\":\"x\"}");
        createCard(other, "{\"type\":\"md-note\",\"title\":\"y\"}");
        String othersCursor = json(get(other, "/api/cards/changes")).get("nextSince").stringValue();

        assertRefused(open(user, "", Map.of("Last-Event-ID", "garbage")), 400);
        assertRefused(open(user, "?since=%25%25", Map.of()), 400);
        assertRefused(open(user, "", Map.of("Last-Event-ID", othersCursor)), 400);
        assertRefused(open(user, "", Map.of("Last-Event-ID", tagged(user, 99))), 400);
        assertRefused(open(user, "", Map.of("Last-Event-ID", base64Url("changes:99"))), 400);
        assertRefused(open(user, "?since=" + base64Url("list:" + java.util.UUID.randomUUID()), Map.of()), 400);
        // The change feed refuses the same positions.
        assertProblem(get(user, "/api/cards/changes?since=" + othersCursor), 400);
        assertProblem(get(user, "/api/cards/changes?since=" + tagged(user, 99)), 400);
        // The right cursor, built the same way, is accepted: the refusals above are about the position.
        assertThat(get(user, "/api/cards/changes?since=" + tagged(user, 1)).statusCode()).isEqualTo(200);
        try (EventStreamConnection fromTheStart = open(user, "", Map.of())) {
            assertThat(fromTheStart.status()).isEqualTo(200);
        }
    }

    @Test
    void lastEventIdGivenTwiceAndNoTokenAreRefused() throws Exception {
        String user = newUser();
        String cursor = json(get(user, "/api/cards/changes")).get("nextSince").stringValue();
        java.net.http.HttpRequest twice = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/api/cards/changes/stream"))
                .header("Authorization", "Bearer " + Tokens.forUser(user))
                .header("Last-Event-ID", cursor).header("Last-Event-ID", cursor).GET().build();
        java.net.http.HttpResponse<String> answer = http.send(twice, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertProblem(answer, 400);

        try (EventStreamConnection anonymous = EventStreamConnection.open(http, port, null, "", Map.of())) {
            assertThat(anonymous.status()).isEqualTo(401);
        }
        try (EventStreamConnection forged = EventStreamConnection.open(http, port,
                Tokens.signed("another-secret-0123456789abcdef0123456789", user, Instant.now().plusSeconds(60)), "",
                Map.of())) {
            assertThat(forged.status()).isEqualTo(401);
        }
    }

    @Test
    void aUserMayHoldTenStreamsOnAnInstanceTheEleventhIs429() throws Exception {
        String user = newUser();
        List<EventStreamConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                open.add(open(user, "", Map.of()));
                assertThat(open.get(i).status()).isEqualTo(200);
            }
            EventStreamConnection refused = open(user, "", Map.of());
            assertRefused(refused, 429);
            try (EventStreamConnection another = open(newUser(), "", Map.of())) {
                assertThat(another.status()).as("another user is not limited").isEqualTo(200);
            }

            // Every one of the ten still gets the next change.
            createCard(user, "{\"type\":\"md-note\",\"title\":\"to all\"}");
            for (EventStreamConnection stream : open) {
                assertThat(items(stream.next(EVENT_WAIT))).hasSize(1);
            }
        } finally {
            open.forEach(EventStreamConnection::close);
        }
        // A closed stream frees its place (the server notices at the next heartbeat's write).
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int status;
        do {
            Thread.sleep(200);
            try (EventStreamConnection again = open(user, "", Map.of())) {
                status = again.status();
            }
            // Ten closed, one opened and closed: keep going until the server let go of enough.
        } while (status != 200 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(200);
    }

    private EventStreamConnection open(String user, String query, Map<String, String> headers) {
        return EventStreamConnection.open(http, port, Tokens.forUser(user), query, headers);
    }

    private static void assertRefused(EventStreamConnection stream, int status) {
        assertProblem(stream.status(), stream.contentType(), stream.errorBody(), status);
        stream.close();
    }

    private JsonNode feedAfter(String user, String cursor) throws Exception {
        return json(get(user, "/api/cards/changes?since=" + cursor));
    }

    private static List<JsonNode> items(Event event) {
        List<JsonNode> items = new ArrayList<>();
        JSON.readTree(event.data()).get("items").forEach(items::add);
        return items;
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A feed cursor built as the API builds them (white box): position and the user's digest tag. */
    private static String tagged(String user, long seq) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(user.getBytes(StandardCharsets.UTF_8));
        String tag = Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 6));
        return base64Url("changes:" + seq + ":" + tag);
    }
}
