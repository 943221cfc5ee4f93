package dev.pawkit.sync.api.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.pawkit.sync.api.EventStreamConnection;
import dev.pawkit.sync.api.PawkitApplication;
import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.infra.FreePorts;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.LocalKafkaBroker;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.projector.ViewComparison;
import dev.pawkit.sync.projector.ViewRebuild;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.testsupport.CommittedLog;
import dev.pawkit.sync.testsupport.EmbeddedApplication;
import dev.pawkit.sync.testsupport.RawFiles;
import dev.pawkit.sync.testsupport.Tokens;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Forgetting a user, end to end on a real broker whose files are in this test's directory: two
 * users write cards full of marker strings (in every personal field, in the pages the enricher
 * fetches, in tags analytics counts); one is erased; the API, a rebuild and analytics know nothing
 * of them any more while the other reads as before; and at the end the raw bytes of every topic
 * segment and every state-store file hold no marker of either user: sealed content never was in
 * clear, and the erased user's can no longer be opened by anyone.
 */
class UserErasureTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Marker strings no other bytes could contain by chance. */
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String ALICE = "alice-" + RUN;
    private static final String BOB = "bob-" + RUN;
    private static final String CAROL = "carol-" + RUN;
    private static final String ALICE_MARK = "qzalicemark" + RUN;
    private static final String BOB_MARK = "qzbobmark" + RUN;
    private static final String CAROL_MARK = "qzcarolmark" + RUN;

    @TempDir
    static Path dir;

    private static LocalKafkaBroker broker;
    private static EmbeddedApplication app;
    private static HttpServer site;
    /** Requests the enricher made for each path of the test site. */
    private static final Map<String, AtomicInteger> FETCHES = new HashMap<>();
    private static final CountDownLatch SLOW_PAGE = new CountDownLatch(1);

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        site.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            synchronized (FETCHES) {
                FETCHES.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            }
            if (path.contains("/slow/")) {
                // Held until the test lets it go: a fetch under way while its owner is erased.
                try {
                    SLOW_PAGE.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            // The page's own title carries the marker of whoever bookmarked it (its path says who).
            String owner = path.contains(ALICE_MARK) ? ALICE_MARK : path.contains(BOB_MARK) ? BOB_MARK : null;
            byte[] page = ("<html><head><title>" + owner + "-page-title</title>"
                    + "<meta property=\"og:description\" content=\"" + owner + "-page-description\">"
                    + "</head><body></body></html>").getBytes(StandardCharsets.UTF_8);
            boolean found = owner != null && !path.endsWith("/gone");
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(found ? 200 : 404, found ? page.length : -1);
            try (OutputStream body = exchange.getResponseBody()) {
                if (found) {
                    body.write(page);
                }
            }
        });
        // A thread per request: one page is held on purpose, the others must still be served.
        site.setExecutor(Executors.newCachedThreadPool());
        site.start();
        broker = LocalKafkaBroker.start(dir.resolve("kafka"), FreePorts.pick());
        app = EmbeddedApplication.start(PawkitApplication.class, broker.bootstrapServers(), Map.of(
                "pawkit.enricher.allow-list", "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (site != null) {
            site.stop(0);
        }
    }

    @Test
    void anErasedUsersContentIsGoneForTheApiRebuildAnalyticsAndAnyoneHoldingTheFiles() throws Exception {
        // 1. Two users (and a third, for the operator) write cards with their markers everywhere.
        String aliceUrlCard = createUrlCard(ALICE, ALICE_MARK, "/" + ALICE_MARK + "/article");
        String aliceNote = create(ALICE, null, note(ALICE_MARK));
        assertThat(send("PATCH", "/api/cards/" + aliceNote, ALICE, "alice-patch-key",
                "{\"notes\":\"" + ALICE_MARK + "-edited notes\",\"tags\":[\"" + ALICE_MARK + "-edited-tag\"]}", Map.of())
                .statusCode()).isEqualTo(200);
        String aliceDeleted = create(ALICE, null, note(ALICE_MARK + "-deleted"));
        assertThat(send("DELETE", "/api/cards/" + aliceDeleted, ALICE, null, null, Map.of()).statusCode()).isEqualTo(200);
        String aliceFailing = createUrlCard(ALICE, ALICE_MARK + "-failing", "/" + ALICE_MARK + "/gone");
        String bobUrlCard = createUrlCard(BOB, BOB_MARK, "/" + BOB_MARK + "/article");
        String bobNote = create(BOB, null, note(BOB_MARK));
        create(CAROL, null, note(CAROL_MARK));

        // The enricher filled both users' pages; analytics counted Alice's tags.
        awaitCard(ALICE, aliceUrlCard, card -> "ok".equals(card.at("/metadataStatus/state").asString()));
        awaitCard(ALICE, aliceFailing, card -> "failed".equals(card.at("/metadataStatus/state").asString()));
        JsonNode bobsCard = awaitCard(BOB, bobUrlCard, card -> "ok".equals(card.at("/metadataStatus/state").asString()));
        assertThat(bobsCard.at("/metadata/title").asString()).isEqualTo(BOB_MARK + "-page-title");
        awaitStats(ALICE, stats -> stats.get("tags").toString().contains(ALICE_MARK));
        JsonNode bobsNote = read(BOB, bobNote);
        int aliceCommands = log().commandsOf(ALICE).size();

        // 2. Not confirmed, or confirmed for someone else: 400, nothing erased, nothing written.
        HttpResponse<String> unconfirmed = send("DELETE", "/api/me", ALICE, null, null, Map.of());
        assertProblem(unconfirmed, 400, "erase-not-confirmed");
        assertProblem(send("DELETE", "/api/me", ALICE, null, null, Map.of("Confirm-Erase", BOB)), 400,
                "erase-not-confirmed");
        assertProblem(send("DELETE", "/api/me", ALICE, null, null, Map.of("Confirm-Erase", ALICE.toUpperCase())), 400,
                "erase-not-confirmed");
        // Erasing someone else is for operators only.
        assertProblem(send("DELETE", "/api/users/" + BOB, ALICE, null, null, Map.of("Confirm-Erase", BOB)), 403,
                "forbidden");
        assertThat(log().commandsOf(ALICE)).hasSize(aliceCommands);
        assertThat(read(ALICE, aliceUrlCard).get("title").asString()).isEqualTo(ALICE_MARK + "-title");

        // A page of hers the enricher is fetching (held by the site) when she is erased.
        String aliceSlow = createUrlCard(ALICE, ALICE_MARK + "-slow", "/" + ALICE_MARK + "/slow/page");
        awaitFetchStarted("/" + ALICE_MARK + "/slow/page");

        // 3. Erased. A device following her change stream is let go: its position means nothing any more.
        EventStreamConnection stream = EventStreamConnection.open(http, app.port(), Tokens.forUser(ALICE), "", Map.of());
        assertThat(stream.status()).isEqualTo(200);
        HttpResponse<String> erased = send("DELETE", "/api/me", ALICE, null, null, Map.of("Confirm-Erase", ALICE));
        assertThat(erased.statusCode()).isEqualTo(204);
        assertThat(erased.body()).isEmpty();
        assertThat(stream.awaitEnd(WAIT)).as("her change stream ended").isTrue();
        stream.close();
        // The held fetch ends after the erasure: its answer is never sent (it would make her a new
        // key and store the page under it); the enricher still moves past her event.
        SLOW_PAGE.countDown();
        awaitEnricherAnsweredEverything();
        assertThat(log().commandsOf(ALICE)).noneMatch(command -> command.cardId().equals(aliceSlow));
        assertThat(app.context().getBean(PawkitSerdes.class).keys().keyIds(ALICE)).as("Alice's keys").isEmpty();

        // Nothing of Alice's reads any more: cards, history, the change feed, her statistics.
        assertThat(list(ALICE)).isEmpty();
        for (String card : List.of(aliceUrlCard, aliceNote, aliceDeleted, aliceFailing, aliceSlow)) {
            assertThat(send("GET", "/api/cards/" + card, ALICE, null, null, Map.of()).statusCode()).isEqualTo(404);
            assertThat(send("GET", "/api/cards/" + card + "/history", ALICE, null, null, Map.of()).statusCode())
                    .isEqualTo(404);
        }
        JsonNode changes = JSON.readTree(send("GET", "/api/cards/changes", ALICE, null, null, Map.of()).body());
        assertThat(changes.toString()).doesNotContain(ALICE_MARK).doesNotContain(aliceUrlCard);
        JsonNode stats = awaitStats(ALICE, s -> !s.toString().contains(ALICE_MARK));
        assertThat(stats.get("tags")).isEmpty();
        assertThat(stats.get("topDomains")).isEmpty();
        // Not even through the log: what of hers still reads there carries no content (deletes, a
        // failed fetch's reason, the erasure); every create, edit and fetched page no longer opens.
        assertThat(log().commandsOf(ALICE)).isNotEmpty().allSatisfy(command -> assertThat(command.command())
                .isInstanceOfAny(CardCommand.DeleteCard.class, CardCommand.EraseUser.class,
                        CardCommand.ApplyMetadata.class)
                .matches(c -> !(c instanceof CardCommand.ApplyMetadata apply) || apply.page() == null));
        assertThat(log().eventsOf(ALICE)).isNotEmpty()
                .allSatisfy(event -> assertThat(event.event()).isInstanceOf(CardEvent.CardDeleted.class));
        // Bob reads exactly as before.
        assertThat(read(BOB, bobNote)).isEqualTo(bobsNote);
        assertThat(read(BOB, bobUrlCard).at("/metadata/title").asString()).isEqualTo(BOB_MARK + "-page-title");

        // 4. Erasing again is fine; so is the operator's erasure of another user.
        assertThat(send("DELETE", "/api/me", ALICE, null, null, Map.of("Confirm-Erase", ALICE)).statusCode())
                .isEqualTo(204);
        HttpResponse<String> byOperator = send("DELETE", "/api/users/" + CAROL, null, null, null,
                Map.of("Confirm-Erase", CAROL, "Authorization", "Bearer " + Tokens.forOperator("ops-" + RUN)));
        assertThat(byOperator.statusCode()).isEqualTo(204);
        assertThat(list(CAROL)).isEmpty();

        // 5. Her old keys replay nothing; her writes start from nothing, under a new key.
        HttpResponse<String> replayed = send("PATCH", "/api/cards/" + aliceNote, ALICE, "alice-patch-key",
                "{\"notes\":\"" + ALICE_MARK + "-edited notes\",\"tags\":[\"" + ALICE_MARK + "-edited-tag\"]}", Map.of());
        assertThat(replayed.statusCode()).isEqualTo(404);
        assertThat(replayed.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(replayed.body()).doesNotContain(ALICE_MARK);
        String fresh = create(ALICE, "alice-fresh-key", "{\"type\":\"md-note\",\"title\":\"a fresh start\"}");
        JsonNode freshCard = read(ALICE, fresh);
        assertThat(freshCard.get("version").asLong()).isEqualTo(1);
        assertThat(list(ALICE)).extracting(card -> card.get("id").asString()).containsExactly(fresh);

        // 6. A rebuild from the event log equals the live views: the erased users' events fold to nothing.
        ViewRebuild.Report rebuild = ViewRebuild.run(new ViewRebuild.Options(
                app.context().getBean(PawkitSerdes.class), KafkaClientSettings.plaintext(broker.bootstrapServers()),
                "pawkit-projector", "erasure-rebuild-" + RUN, app.dataDir().resolve("rebuild"), true, false,
                Duration.ofSeconds(1)), new PrintStream(OutputStream.nullOutputStream()));
        assertThat(rebuild.comparisons()).allSatisfy(c -> assertThat(c.differing()).as(c.store()).isEmpty());
        assertThat(rebuild.identical()).isTrue();
        assertThat(rebuild.comparisons()).extracting(ViewComparison::compared).allSatisfy(n -> assertThat(n).isPositive());

        // The enricher fetched Alice's pages before the erasure, and never since.
        int fetchedBefore = fetchesOf(ALICE_MARK);
        assertThat(fetchedBefore).isPositive();

        // 7. Every file the broker and the application wrote, byte by byte, once they have stopped.
        Path appData = app.dataDir();
        app.close();
        app = null;
        broker.close();
        broker = null;
        assertThat(fetchesOf(ALICE_MARK)).isEqualTo(fetchedBefore);
        List<Path> files = RawFiles.under(dir.resolve("kafka"), appData);
        List<Path> segments = files.stream().filter(f -> f.toString().endsWith(".log")).toList();
        List<Path> storeFiles = files.stream().filter(f -> f.toString().contains("/streams/")).toList();
        // The scan sees what is in clear: user ids are (they order and route everything).
        assertThat(RawFiles.containing(segments, BOB)).as("topic segments naming Bob").isNotEmpty();
        assertThat(RawFiles.containing(storeFiles, BOB)).as("store files naming Bob").isNotEmpty();
        for (String marker : List.of(ALICE_MARK, BOB_MARK, CAROL_MARK)) {
            assertThat(RawFiles.containing(files, marker)).as("files holding " + marker).isEmpty();
        }
    }

    // ---- the user's side ----

    private String createUrlCard(String user, String marker, String path) throws Exception {
        return create(user, null, "{\"type\":\"url\",\"url\":\"http://127.0.0.1:" + site.getAddress().getPort() + path
                + "\",\"title\":\"" + marker + "-title\",\"notes\":\"" + marker + "-notes\",\"tags\":[\"" + marker
                + "-tag\"],\"collections\":[\"" + marker + "-collection\"]}");
    }

    private static String note(String marker) {
        return "{\"type\":\"md-note\",\"title\":\"" + marker + "-note-title\",\"content\":\"# " + marker
                + " content\",\"tags\":[\"" + marker + "-note-tag\"]}";
    }

    private String create(String user, String key, String body) throws Exception {
        HttpResponse<String> created = send("POST", "/api/cards", user, key == null ? UUID.randomUUID().toString() : key,
                body, Map.of());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("id").asString();
    }

    private JsonNode read(String user, String card) throws Exception {
        HttpResponse<String> answer = send("GET", "/api/cards/" + card, user, null, null, Map.of());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private List<JsonNode> list(String user) throws Exception {
        HttpResponse<String> answer = send("GET", "/api/cards", user, null, null, Map.of());
        assertThat(answer.statusCode()).isEqualTo(200);
        List<JsonNode> cards = new ArrayList<>();
        JSON.readTree(answer.body()).get("items").forEach(cards::add);
        return cards;
    }

    private JsonNode awaitCard(String user, String card, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = read(user, card);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("card " + card + " never got there: " + last);
    }

    private JsonNode awaitStats(String user, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = send("GET", "/api/stats", user, null, null, Map.of());
            if (answer.statusCode() == 200) {
                last = JSON.readTree(answer.body());
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the statistics of " + user + " never got there: " + last);
    }

    private HttpResponse<String> send(String method, String path, String user, String key, String body,
            Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri().resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            request.header("Authorization", "Bearer " + Tokens.forUser(user));
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> answer, int status, String type) throws IOException {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                contentType -> assertThat(contentType).startsWith("application/problem+json"));
        assertThat(JSON.readTree(answer.body()).get("type").asString()).endsWith("/" + type);
    }

    // ---- the operator's side ----

    private static void awaitFetchStarted(String path) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (FETCHES) {
                if (FETCHES.containsKey(path)) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the enricher never asked for " + path);
    }

    /** Waits (bounded) until the enricher's group has committed past every card event there is. */
    private static void awaitEnricherAnsweredEverything() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(PawkitTopics.CARD_EVENTS))
                    .allTopicNames().get().get(PawkitTopics.CARD_EVENTS).partitions().stream()
                    .map(p -> new TopicPartition(PawkitTopics.CARD_EVENTS, p.partition())).toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, Long> ends = new HashMap<>();
                admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                        .forEach((p, info) -> ends.put(p, info.offset()));
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("pawkit-enricher")
                        .partitionsToOffsetAndMetadata().get();
                // Every transaction ends with a marker, which takes the last offset: the last event is before it.
                if (partitions.stream().allMatch(p -> ends.get(p) == 0
                        || committed.get(p) != null && committed.get(p).offset() >= ends.get(p) - 1)) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new AssertionError("the enricher did not answer every card event in time");
        }
    }

    private CommittedLog log() {
        return new CommittedLog(broker.bootstrapServers());
    }

    private static int fetchesOf(String marker) {
        synchronized (FETCHES) {
            return FETCHES.entrySet().stream().filter(e -> e.getKey().contains(marker))
                    .mapToInt(e -> e.getValue().get()).sum();
        }
    }
}
