package dev.pawkit.sync.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.EventStreamConnection.Event;
import dev.pawkit.sync.infra.FreePorts;
import dev.pawkit.sync.runtime.ProjectorRunner;
import dev.pawkit.sync.testsupport.EmbeddedApplication;
import dev.pawkit.sync.testsupport.Tokens;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Change streams with two API + projector instances: a stream on either instance carries the
 * changes written through either, whichever one owns the user; and when an instance stops, its
 * streams end, the client reconnects to the other with its last event id and misses nothing,
 * sees nothing twice, while writes go on through the rebalance; and when it starts again on the
 * same port (taking its share of the partitions back), a stream there resumes from the last id
 * the same way.
 */
class ChangeStreamAcrossInstancesTest extends ApiIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration EVENT_WAIT = Duration.ofSeconds(15);

    private EmbeddedApplication second;

    @AfterEach
    void stopSecondInstance() throws Exception {
        if (second != null) {
            second.close();
            second = null;
        }
        awaitThisInstanceServesEveryPartition();
    }

    @Test
    void aStreamOnEitherInstanceCarriesWritesThroughEitherAndSurvivesTheOthersRestart() throws Exception {
        int secondPort = FreePorts.pick();
        second = startSecondInstance(secondPort);
        awaitBothServeEveryPartition(second);

        ProjectorRunner secondProjector = second.context().getBean(ProjectorRunner.class);
        String ownedHere = userOwnedBySecond(secondProjector, false);
        String ownedThere = userOwnedBySecond(secondProjector, true);

        for (String user : List.of(ownedHere, ownedThere)) {
            try (EventStreamConnection onFirst = open(port, user, Map.of());
                    EventStreamConnection onSecond = open(secondPort, user, Map.of())) {
                String id = created(sendTo(port, "POST", "/api/cards", user, "{\"type\":\"md-note\",\"title\":\"a\"}",
                        key()));
                HttpResponse<String> updated = sendTo(secondPort, "PATCH", "/api/cards/" + id, user,
                        "{\"title\":\"b\",\"version\":1}", key());
                assertThat(updated.statusCode()).isEqualTo(200);
                for (EventStreamConnection stream : List.of(onFirst, onSecond)) {
                    assertThat(version(stream.next(EVENT_WAIT))).isEqualTo(1);
                    assertThat(version(stream.next(EVENT_WAIT))).isEqualTo(2);
                }
            }
        }

        // A stream on the second instance, for a user it owns; then the second instance stops while
        // writes go on through the first.
        String user = ownedThere;
        Map<String, Long> acknowledged = new LinkedHashMap<>();
        Map<String, Long> seen = new HashMap<>();
        List<Long> seenSeqs = new ArrayList<>();
        String lastEventId;
        try (EventStreamConnection stream = open(secondPort, user, Map.of())) {
            // Catch-up from the start: the card of the first part.
            lastEventId = record(stream.next(EVENT_WAIT), seen);
            for (int i = 0; i < 5; i++) {
                acknowledged.put(created(writeUntilAnswered(user, "POST", "/api/cards",
                        "{\"type\":\"md-note\",\"title\":\"before " + i + "\"}")), 1L);
                lastEventId = record(stream.next(EVENT_WAIT), seen);
            }
            Thread closer = new Thread(() -> second.close());
            closer.start();
            assertThat(stream.awaitEnd(Duration.ofSeconds(60))).as("the stopping instance ends its streams").isTrue();
            // Whatever it sent before ending still counts.
            for (Event event = stream.poll(Duration.ZERO); event != null; event = stream.poll(Duration.ZERO)) {
                lastEventId = record(event, seen);
            }
            for (int i = 0; i < 5; i++) {
                acknowledged.put(created(writeUntilAnswered(user, "POST", "/api/cards",
                        "{\"type\":\"md-note\",\"title\":\"during " + i + "\"}")), 1L);
            }
            String updatedCard = acknowledged.keySet().iterator().next();
            writeUntilAnswered(user, "PATCH", "/api/cards/" + updatedCard, "{\"title\":\"changed\",\"version\":1}");
            acknowledged.put(updatedCard, 2L);
            closer.join(60_000);
        }
        second = null;

        seenSeqs.add(seq(lastEventId));
        try (EventStreamConnection resumed = open(port, user, Map.of("Last-Event-ID", lastEventId))) {
            assertThat(resumed.status()).isEqualTo(200);
            acknowledged.put(created(writeUntilAnswered(user, "POST", "/api/cards",
                    "{\"type\":\"md-note\",\"title\":\"after\"}")), 1L);
            while (!seenAll(acknowledged, seen)) {
                Event event = resumed.next(EVENT_WAIT);
                assertThat(seq(event.id())).as("ids only grow").isGreaterThan(seenSeqs.get(seenSeqs.size() - 1));
                seenSeqs.add(seq(event.id()));
                lastEventId = event.id();
                for (JsonNode card : JSON.readTree(event.data()).get("items")) {
                    String id = card.get("id").stringValue();
                    long version = card.get("version").longValue();
                    assertThat(version).as("%s seen again at version %d", id, version)
                            .isGreaterThan(seen.getOrDefault(id, 0L));
                    seen.put(id, version);
                }
            }
            assertThat(resumed.poll(Duration.ofMillis(500))).as("nothing after the last change").isNull();
        }

        // The second instance starts again where it was (the partitions are split again): a stream
        // there, from the last id, carries the next write through either instance and nothing before it.
        second = startSecondInstance(secondPort);
        awaitBothServeEveryPartition(second);
        try (EventStreamConnection restarted = open(secondPort, user, Map.of("Last-Event-ID", lastEventId))) {
            String throughFirst = created(writeUntilAnswered(user, "POST", "/api/cards",
                    "{\"type\":\"md-note\",\"title\":\"after the restart\"}"));
            acknowledged.put(throughFirst, 1L);
            Event event = restarted.next(EVENT_WAIT);
            assertThat(seq(event.id())).as("the next position after the last id").isEqualTo(seq(lastEventId) + 1);
            assertThat(JSON.readTree(event.data()).get("items")).hasSize(1);
            assertThat(JSON.readTree(event.data()).get("items").get(0).get("id").stringValue()).isEqualTo(throughFirst);
            String throughSecond = created(sendTo(secondPort, "POST", "/api/cards", user,
                    "{\"type\":\"md-note\",\"title\":\"on the restarted one\"}", key()));
            acknowledged.put(throughSecond, 1L);
            event = restarted.next(EVENT_WAIT);
            assertThat(seq(event.id())).isEqualTo(seq(lastEventId) + 2);
            assertThat(JSON.readTree(event.data()).get("items").get(0).get("id").stringValue()).isEqualTo(throughSecond);
            assertThat(restarted.poll(Duration.ofMillis(500))).as("nothing after the last change").isNull();
        }
        // Exactly once in the log too: one create per card, one update.
        assertThat(committedLog().eventsOf(user)).hasSize(2 + acknowledged.size() + 1);
    }

    private static boolean seenAll(Map<String, Long> acknowledged, Map<String, Long> seen) {
        return acknowledged.entrySet().stream().allMatch(e -> seen.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    /** Remembers each card's version in the event (never one already seen), returns the event's id. */
    private static String record(Event event, Map<String, Long> seen) {
        for (JsonNode card : JSON.readTree(event.data()).get("items")) {
            String id = card.get("id").stringValue();
            long version = card.get("version").longValue();
            assertThat(version).isGreaterThan(seen.getOrDefault(id, 0L));
            seen.put(id, version);
        }
        return event.id();
    }

    /** A write through the first instance, retried with the same key while ownership moves (503) or it is decided later (202). */
    private HttpResponse<String> writeUntilAnswered(String user, String method, String path, String body)
            throws Exception {
        Map<String, String> key = key();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            HttpResponse<String> answer = sendTo(port, method, path, user, body, key);
            if (answer.statusCode() < 500 && answer.statusCode() != 202 || System.nanoTime() > deadline) {
                assertThat(answer.statusCode()).as("%s %s: %s", method, path, answer.body()).isBetween(200, 201);
                return answer;
            }
            Thread.sleep(200);
        }
    }

    private EventStreamConnection open(int targetPort, String user, Map<String, String> headers) {
        EventStreamConnection stream = EventStreamConnection.open(http, targetPort, Tokens.forUser(user), "", headers);
        assertThat(stream.status()).as("stream on %d: %s", targetPort, stream.errorBody()).isEqualTo(200);
        return stream;
    }

    private static String userOwnedBySecond(ProjectorRunner secondProjector, boolean bySecond) {
        // Bounded: the split is settled (each instance owns some of the six partitions), so a few
        // dozen users are enough; an endless search once spun for 10 minutes when it was not.
        for (int i = 0; i < 1000; i++) {
            String user = "streams-" + i + "-" + UUID.randomUUID();
            if (secondProjector.reads().ownerOf(user).local() == bySecond) {
                return user;
            }
        }
        throw new AssertionError("no user owned " + (bySecond ? "by" : "outside") + " the second instance");
    }

    private static String created(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return JSON.readTree(answer.body()).get("id").stringValue();
    }

    private static Map<String, String> key() {
        return Map.of("Idempotency-Key", UUID.randomUUID().toString());
    }

    private static long version(Event event) {
        return JSON.readTree(event.data()).get("items").get(0).get("version").longValue();
    }

    /** The position in an event id (white box: base64url of "changes:seq:tag"). */
    private static long seq(String eventId) {
        String position = new String(java.util.Base64.getUrlDecoder().decode(eventId),
                java.nio.charset.StandardCharsets.UTF_8);
        return Long.parseLong(position.split(":")[1]);
    }
}
