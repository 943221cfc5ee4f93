package dev.pawkit.sync.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream follower against a fake server (the JDK's own HTTP server) that answers scripted
 * event-stream bodies: events applied with their ids as the cursor, a half-sent event not applied,
 * refusals read, a reconnect resuming from {@code Last-Event-ID}, a body slower than the request
 * timeout kept. No broker, no application: the real stream is {@code LiveStreamTest}'s.
 */
class ChangeStreamReaderTest {

    /** One scripted answer to a stream request: status, headers, then body parts written with a pause before each. */
    private record Answer(int status, String retryAfter, List<String> parts, Duration pause, boolean hold) {
        static Answer events(String... parts) {
            return new Answer(200, null, List.of(parts), Duration.ZERO, false);
        }
    }

    @TempDir
    Path dir;

    private HttpServer server;
    private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    private final List<String> lastEventIds = new CopyOnWriteArrayList<>();
    private final List<String> feedReads = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger holdsEnded = new java.util.concurrent.atomic.AtomicInteger();
    private LocalStore store;
    private DeltaSync deltaSync;
    private ChangeStreamReader reader;

    @BeforeEach
    void startFakeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/cards/changes/stream", this::stream);
        server.createContext("/api/cards/changes", exchange -> {
            feedReads.add(exchange.getRequestURI().toString());
            String since = store.read(t -> t.settings().get(SettingTable.CHANGES_CURSOR).orElse("c0"));
            reply(exchange, 200, "{\"items\":[],\"nextSince\":\"" + since + "\",\"hasMore\":false}");
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        open(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        server.stop(0);
        store.close();
    }

    @Test
    void eventsAreAppliedWithTheirIdsAsTheCursorAndCommentsIgnored() {
        answers.add(Answer.events("retry: 1500\n: stream of u\n\n",
                event("c1", card("a", 1, false)), ": heartbeat\n\n", event("c2", card("a", 2, true), card("b", 1, false))));

        ChangeStreamReader.End end = reader.follow();

        assertThat(end).isInstanceOfSatisfying(ChangeStreamReader.Ended.class, ended -> {
            assertThat(ended.lines()).isPositive();
            assertThat(ended.retry()).isEqualTo(Duration.ofMillis(1500));
        });
        assertThat(deltaSync.cursor()).isEqualTo("c2");
        assertThat(cached("a").orElseThrow().deleted()).isTrue();
        assertThat(cached("b")).isPresent();
    }

    @Test
    void anEventCutOffBeforeItsBlankLineIsNotApplied() {
        answers.add(Answer.events(event("c1", card("a", 1, false)),
                "id: c2\nevent: changes\ndata: {\"items\":[" + card("b", 1, false) + "]}\n"));

        reader.follow();

        assertThat(deltaSync.cursor()).isEqualTo("c1");
        assertThat(cached("b")).isEmpty();
    }

    @Test
    void theStoredCursorIsSentAsLastEventId() {
        store.write(t -> {
            t.settings().put(SettingTable.CHANGES_CURSOR, "c7");
            return null;
        });
        answers.add(Answer.events(event("c8", card("a", 3, false))));

        reader.follow();

        assertThat(lastEventIds).containsExactly("c7");
        assertThat(deltaSync.cursor()).isEqualTo("c8");
    }

    @Test
    void aRefusalIsReadWithItsRetryAfter() {
        answers.add(new Answer(429, "7", List.of("{\"type\":\"https://pawkit.dev/problems/too-many-streams\"}"),
                Duration.ZERO, false));

        ChangeStreamReader.End end = reader.follow();

        assertThat(end).isEqualTo(new ChangeStreamReader.Refused(429, Duration.ofSeconds(7),
                "{\"type\":\"https://pawkit.dev/problems/too-many-streams\"}"));
    }

    @Test
    void aStreamLongerThanTheRequestTimeoutIsKept() {
        open(Duration.ofMillis(300));
        answers.add(new Answer(200, null, List.of(event("c1", card("a", 1, false)), event("c2", card("a", 2, false))),
                Duration.ofMillis(800), false));

        ChangeStreamReader.End end = reader.follow();

        assertThat(end).isInstanceOf(ChangeStreamReader.Ended.class);
        assertThat(deltaSync.cursor()).isEqualTo("c2");
        assertThat(lastEventIds).hasSize(1);
    }

    @Test
    void aSilentConnectionIsTakenForDeadAndEnded() {
        open(Duration.ofSeconds(5), Duration.ofMillis(600));
        answers.add(new Answer(200, null, List.of(event("c1", card("a", 1, false))), Duration.ZERO, true));

        ChangeStreamReader.End end = reader.follow();

        // Ended by the watchdog, not by the server, which still holds the connection open.
        assertThat(end).isInstanceOf(ChangeStreamReader.Ended.class);
        assertThat(holdsEnded.get()).isZero();
        assertThat(deltaSync.cursor()).isEqualTo("c1");
    }

    @Test
    void liveSyncPullsThenReconnectsFromTheLastEventAfterTheServerEndsTheStream() throws Exception {
        answers.add(Answer.events("retry: 100\n\n", event("c1", card("a", 1, false))));
        answers.add(new Answer(200, null, List.of(event("c2", card("a", 2, false))), Duration.ZERO, true));
        try (LiveSync live = new LiveSync(deltaSync, reader, Duration.ofHours(1))) {
            live.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> "c2".equals(deltaSync.cursor()));

            // The first pull ended at c0 (the fake feed is empty): the stream starts there, then resumes at c1.
            assertThat(lastEventIds).containsExactly("c0", "c1");
            // A pull before each connection: the first from nothing, the second from c1.
            assertThat(feedReads).hasSize(2);
        }
        // Closed: the held stream was ended and the thread stopped.
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("pawkit-sync-stream")
                && t.isAlive());
    }

    @Test
    void liveSyncPollsTheFeedWhileTheStreamIsRefused() {
        for (int i = 0; i < 50; i++) {
            answers.add(new Answer(404, null, List.of(""), Duration.ZERO, false));
        }
        try (LiveSync live = new LiveSync(deltaSync, reader, Duration.ofMillis(50))) {
            live.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> feedReads.size() >= 5);
        }
        assertThat(lastEventIds).hasSizeGreaterThanOrEqualTo(2);
    }

    private java.util.Optional<ServerCard> cached(String id) {
        return store.read(t -> t.cards().find(id));
    }

    private void open(Duration requestTimeout) {
        open(requestTimeout, ChangeStreamReader.SILENCE_LIMIT);
    }

    private void open(Duration requestTimeout, Duration silenceLimit) {
        if (store == null) {
            store = LocalStore.open(dir.resolve("client.db"));
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        CardApi api = new CardApi(http, URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                () -> "token", requestTimeout, "test-client");
        deltaSync = new DeltaSync(api, store, 100, new SyncListener() { });
        reader = new ChangeStreamReader(api, deltaSync, Clock.systemUTC(), silenceLimit);
    }

    private void stream(HttpExchange exchange) throws IOException {
        String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        lastEventIds.add(lastEventId == null ? "" : lastEventId);
        Answer answer = answers.poll();
        if (answer == null) {
            reply(exchange, 503, "");
            return;
        }
        if (answer.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
        }
        exchange.getResponseHeaders().add("Content-Type", answer.status() == 200 ? "text/event-stream"
                : "application/problem+json");
        exchange.sendResponseHeaders(answer.status(), 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (String part : answer.parts()) {
                sleep(answer.pause());
                out.write(part.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            if (answer.hold()) {
                sleep(Duration.ofSeconds(30));
                holdsEnded.incrementAndGet();
            }
        } catch (IOException e) {
            // The client went away.
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String event(String id, String... cards) {
        return "id: " + id + "\r\nevent: changes\r\ndata: {\"items\":[" + String.join(",", cards) + "]}\r\n\r\n";
    }

    private static String card(String id, long version, boolean deleted) {
        return "{\"id\":\"" + id + "\",\"type\":\"md-note\",\"content\":\"text\",\"tags\":[],\"collections\":[],"
                + "\"pinned\":false,\"version\":" + version + ",\"updatedAt\":\"2026-01-01T00:00:00Z\",\"deleted\":"
                + deleted + "}";
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
