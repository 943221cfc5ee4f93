package dev.pawkit.sync.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.CardEvent.CardUpdated;
import dev.pawkit.sync.domain.log.EventEnvelope;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Many clients at once: the log orders them, the projector decides one at a time, nothing is lost or doubled. */
class ConcurrentWritesTest extends ApiIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void sixteenConcurrentCreatesWithOneKeyMakeOneCard() throws Exception {
        String user = "concurrent-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        String body = "{\"type\":\"md-note\",\"title\":\"double click\"}";

        List<HttpResponse<String>> responses = all(16, i -> send("POST", "/api/cards", user, body,
                Map.of("Idempotency-Key", key)));

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(201));
        Set<String> ids = responses.stream().map(r -> JSON.readTree(r.body()).get("id").stringValue())
                .collect(Collectors.toSet());
        assertThat(ids).hasSize(1);
        assertThat(responses.stream().filter(r -> r.headers().firstValue("Idempotent-Replayed").isEmpty()))
                .as("exactly one request was the original, the rest are replays").hasSize(1);
        assertThat(committedLog().eventsOf(user)).hasSize(1);
        JsonNode list = JSON.readTree(send("GET", "/api/cards", user, null, Map.of()).body());
        assertThat(list.get("items")).hasSize(1);
    }

    @Test
    void eightClientsTimesTenReadModifyWriteUpdatesLoseNothing() throws Exception {
        String user = "rmw-" + UUID.randomUUID();
        HttpResponse<String> created = send("POST", "/api/cards", user,
                "{\"type\":\"text-note\",\"title\":\"shared\",\"tags\":[]}", Map.of());
        assertThat(created.statusCode()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();

        // Each client adds its own tags one by one: read, modify, write with the version read,
        // and on 409 start again from the card the conflict returned.
        List<Integer> conflicts = all(8, client -> {
            int conflictCount = 0;
            for (int update = 0; update < 10; update++) {
                JsonNode card = JSON.readTree(send("GET", location, user, null, Map.of()).body());
                while (true) {
                    List<String> tags = new ArrayList<>();
                    card.get("tags").forEach(t -> tags.add(t.stringValue()));
                    tags.add("c" + client + "-u" + update);
                    String patch = JSON.writeValueAsString(Map.of("tags", tags, "version",
                            card.get("version").longValue()));
                    HttpResponse<String> response = send("PATCH", location, user, patch,
                            Map.of("Idempotency-Key", UUID.randomUUID().toString()));
                    if (response.statusCode() == 200) {
                        break;
                    }
                    assertThat(response.statusCode()).isEqualTo(409);
                    conflictCount++;
                    card = JSON.readTree(response.body()).get("currentCard");
                }
            }
            return conflictCount;
        });

        JsonNode card = JSON.readTree(send("GET", location, user, null, Map.of()).body());
        assertThat(card.get("version").longValue()).isEqualTo(81);
        assertThat(card.get("tags")).hasSize(80);
        List<EventEnvelope> events = committedLog().eventsOf(user);
        assertThat(events).hasSize(81);
        assertThat(events.stream().map(EventEnvelope::version).toList())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 81).boxed().toList());
        assertThat(events.subList(1, 81)).allSatisfy(e -> assertThat(e.event()).isInstanceOf(CardUpdated.class));
        System.out.println("8x10 read-modify-write: " + conflicts.stream().mapToInt(i -> i).sum() + " conflicts retried");
    }

    @Test
    void readYourWritesInATightLoop() throws Exception {
        String user = "ryw-" + UUID.randomUUID();
        HttpResponse<String> created = send("POST", "/api/cards", user, "{\"type\":\"md-note\"}", Map.of());
        String location = created.headers().firstValue("Location").orElseThrow();
        for (int i = 1; i <= 50; i++) {
            HttpResponse<String> updated = send("PATCH", location, user, "{\"title\":\"t" + i + "\"}", Map.of());
            long written = JSON.readTree(updated.body()).get("version").longValue();
            JsonNode read = JSON.readTree(send("GET", location, user, null, Map.of()).body());
            assertThat(read.get("version").longValue()).isGreaterThanOrEqualTo(written);
            JsonNode list = JSON.readTree(send("GET", "/api/cards", user, null, Map.of()).body());
            assertThat(list.get("items").get(0).get("version").longValue()).isGreaterThanOrEqualTo(written);
            JsonNode feed = JSON.readTree(send("GET", "/api/cards/changes", user, null, Map.of()).body());
            assertThat(feed.get("items").get(0).get("version").longValue()).isGreaterThanOrEqualTo(written);
        }
        assertThat(committedLog().eventsOf(user)).hasSize(51);
    }

    private interface Client<T> {
        T run(int client) throws Exception;
    }

    /** Runs n clients at once, released together, and returns their results in client order. */
    private static <T> List<T> all(int n, Client<T> client) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                futures.add(pool.submit((Callable<T>) () -> {
                    start.await();
                    return client.run(id);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
