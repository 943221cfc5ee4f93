package dev.pawkit.sync.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.pawkit.sync.testsupport.RawFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Forgetting a user on the local stack as README runs it (its own broker, the enricher and
 * analytics on, logs to a file): two users bookmark pages and write notes full of markers, one is
 * erased, and once the stack has stopped not one file under its data directory (topic segments,
 * state stores, checkpoints, its log file) holds a marker of either user in clear.
 */
class LocalStackErasureTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String ALICE_MARK = "qzstackalice" + RUN;
    private static final String BOB_MARK = "qzstackbob" + RUN;

    @TempDir
    Path dataDir;

    private final int httpPort = LocalStackClient.freePort();
    private final int kafkaPort = LocalStackClient.freePort();
    private final LocalStackClient alice = new LocalStackClient(httpPort, "alice-" + RUN, Duration.ofSeconds(30));
    private final LocalStackClient bob = new LocalStackClient(httpPort, "bob-" + RUN, Duration.ofSeconds(30));
    private HttpServer site;
    private Process stack;

    @AfterEach
    void stop() throws InterruptedException {
        if (stack != null && stack.isAlive()) {
            stack.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (site != null) {
            site.stop(0);
        }
    }

    @Test
    void noFileOfTheStackHoldsAUsersContentInClearAndTheErasedUserReadsAsNothing() throws Exception {
        site = pageServer();
        stack = alice.startStack(dataDir, kafkaPort, Path.of("target", "local-stack-erasure-" + httpPort + ".log"),
                Duration.ofSeconds(300), List.of("--pawkit.enricher.enabled=true",
                        "--pawkit.enricher.allow-list=127.0.0.1"));
        String aliceUrl = create(alice, urlCard(ALICE_MARK));
        create(alice, note(ALICE_MARK));
        String bobUrl = create(bob, urlCard(BOB_MARK));
        String bobNote = create(bob, note(BOB_MARK));
        awaitFetched(alice, aliceUrl);
        JsonNode bobsPage = awaitFetched(bob, bobUrl);
        assertThat(bobsPage.at("/metadata/title").stringValue()).isEqualTo(BOB_MARK + "-page");

        HttpResponse<String> unconfirmed = alice.send(alice.request("/api/me").DELETE().build());
        assertThat(unconfirmed.statusCode()).isEqualTo(400);
        assertThat(items(alice)).hasSize(2);
        HttpResponse<String> erased = alice.send(alice.request("/api/me").header("Confirm-Erase", "alice-" + RUN)
                .DELETE().build());
        assertThat(erased.statusCode()).isEqualTo(204);
        assertThat(items(alice)).isEmpty();
        assertThat(alice.get("/api/cards/" + aliceUrl).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(bob.get("/api/cards/" + bobNote).body()).get("title").stringValue())
                .isEqualTo(BOB_MARK + "-title");
        assertThat(items(bob)).hasSize(2);

        stack.destroy();
        assertThat(stack.waitFor(60, TimeUnit.SECONDS)).as("SIGTERM stopped the stack").isTrue();
        List<Path> files = RawFiles.under(dataDir);
        assertThat(files).as("the stack's log file").contains(dataDir.resolve("logs").resolve("pawkit.log"));
        // The scan sees what is in clear: user ids are, in the topic segments and the stores.
        assertThat(RawFiles.containing(files.stream().filter(f -> f.toString().endsWith(".log")).toList(), "bob-" + RUN))
                .isNotEmpty();
        assertThat(RawFiles.containing(files.stream().filter(f -> f.toString().contains("/streams/")).toList(), "bob-" + RUN))
                .isNotEmpty();
        assertThat(RawFiles.containing(files, ALICE_MARK)).as("files holding Alice's markers").isEmpty();
        assertThat(RawFiles.containing(files, BOB_MARK)).as("files holding Bob's markers").isEmpty();
    }

    private HttpServer pageServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String owner = path.contains(ALICE_MARK) ? ALICE_MARK : BOB_MARK;
            byte[] page = ("<html><head><title>" + owner + "-page</title></head><body></body></html>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(page);
            }
        });
        server.start();
        return server;
    }

    private String urlCard(String marker) {
        return "{\"type\":\"url\",\"url\":\"http://127.0.0.1:" + site.getAddress().getPort() + "/" + marker
                + "/page\",\"title\":\"" + marker + "-url-title\",\"notes\":\"" + marker + "-notes\",\"tags\":[\""
                + marker + "-tag\"]}";
    }

    private static String note(String marker) {
        return "{\"type\":\"md-note\",\"title\":\"" + marker + "-title\",\"content\":\"" + marker
                + " content\",\"tags\":[\"" + marker + "-note-tag\"]}";
    }

    private static String create(LocalStackClient user, String body) throws Exception {
        HttpResponse<String> created = user.send(user.request("/api/cards")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("id").stringValue();
    }

    private static JsonNode awaitFetched(LocalStackClient user, String card) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = JSON.readTree(user.get("/api/cards/" + card).body());
            if ("ok".equals(last.at("/metadataStatus/state").asString())) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the page of card " + card + " was never fetched: " + last);
    }

    private static List<JsonNode> items(LocalStackClient user) throws Exception {
        List<JsonNode> items = new ArrayList<>();
        JSON.readTree(user.get("/api/cards?limit=100").body()).get("items").forEach(items::add);
        return items;
    }
}
