package dev.pawkit.sync.stack;

import static org.assertj.core.api.Assertions.assertThat;


import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local stack as users run it: a separate process (broker + projector + API), written to while
 * it is stopped with SIGTERM or killed with SIGKILL, then restarted on the same data directory.
 * Every acknowledged card and idempotency key must be there, nothing twice; requests that got no
 * answer are retried with their key and land exactly once.
 */
class LocalStackDurabilityTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String USER = "durable-user";
    private static final int WRITERS = 4;

    @TempDir
    Path dataDir;

    private final int httpPort = LocalStackClient.freePort();
    private final int kafkaPort = LocalStackClient.freePort();
    private final LocalStackClient api = new LocalStackClient(httpPort, USER, Duration.ofSeconds(15));
    private Process stack;

    @AfterEach
    void stopStack() throws InterruptedException {
        if (stack != null && stack.isAlive()) {
            stack.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigtermThenRestartKeepsEveryAcknowledgedWrite() throws Exception {
        verifyStop(false);
    }

    @Test
    void killMinus9ThenRestartKeepsEveryAcknowledgedWrite() throws Exception {
        verifyStop(true);
    }

    private void verifyStop(boolean kill) throws Exception {
        stack = start("first");
        // Keys whose create was acknowledged (201) → the card id it answered; keys sent but never answered.
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        List<String> unanswered = java.util.Collections.synchronizedList(new ArrayList<>());
        // A few clients write until their first request without a 201: that one was in flight at
        // the stop (or refused), and the client would retry it with its key, as the test does below.
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            Thread writer = new Thread(() -> {
                while (true) {
                    String key = UUID.randomUUID().toString();
                    try {
                        HttpResponse<String> created = api.createNote(key);
                        if (created.statusCode() != 201) {
                            unanswered.add(key);
                            return;
                        }
                        acknowledged.put(key, JSON.readTree(created.body()).get("id").stringValue());
                    } catch (Exception e) {
                        unanswered.add(key);
                        return;
                    }
                }
            });
            writer.start();
            writers.add(writer);
        }
        // A reader polls the change feed meanwhile. Reads come from the projector's stores, which
        // show a decision before its transaction commits: sound only because a decision
        // reprocessed after a crash is the same decision. So every card a reader ever saw must
        // be there after the restart, even those whose writer got no answer.
        Set<String> seenByReader = ConcurrentHashMap.newKeySet();
        Thread reader = new Thread(() -> {
            while (true) {
                try {
                    JsonNode feed = JSON.readTree(api.get("/api/cards/changes?limit=1000").body());
                    feed.get("items").forEach(item -> seenByReader.add(item.get("id").stringValue()));
                } catch (Exception e) {
                    return;
                }
            }
        });
        reader.start();
        waitUntil(() -> acknowledged.size() >= 40, Duration.ofSeconds(60));

        if (kill) {
            stack.destroyForcibly();
        } else {
            stack.destroy();
        }
        assertThat(stack.waitFor(60, TimeUnit.SECONDS)).as("the stack stopped").isTrue();
        for (Thread writer : writers) {
            writer.join(30_000);
        }
        reader.join(30_000);
        if (!kill) {
            assertThat(stack.exitValue()).as("SIGTERM is a clean stop").isIn(0, 143);
        }

        stack = start("second");
        for (Map.Entry<String, String> ack : acknowledged.entrySet()) {
            HttpResponse<String> card = api.get("/api/cards/" + ack.getValue());
            assertThat(card.statusCode()).as("acknowledged card %s", ack.getValue()).isEqualTo(200);
            HttpResponse<String> replay = api.createNote(ack.getKey());
            assertThat(replay.statusCode()).isEqualTo(201);
            assertThat(replay.headers().firstValue("Idempotent-Replayed")).as("key %s survived", ack.getKey())
                    .contains("true");
            assertThat(JSON.readTree(replay.body()).get("id").stringValue()).isEqualTo(ack.getValue());
        }
        // What was in flight at the stop: the client retries with the same key, exactly one card each.
        for (String key : unanswered) {
            assertThat(api.createNote(key).statusCode()).isEqualTo(201);
        }

        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = JSON.readTree(api.get("/api/cards?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor)).body());
            page.get("items").forEach(item -> ids.add(item.get("id").stringValue()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").stringValue();
        } while (cursor != null);
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids).hasSize(acknowledged.size() + unanswered.size());
        assertThat(ids).containsAll(acknowledged.values());
        assertThat(ids).as("every card a reader saw before the stop").containsAll(seenByReader);
        System.out.printf("%s: %d acknowledged, %d in flight, %d cards after restart%n",
                kill ? "kill -9" : "SIGTERM", acknowledged.size(), unanswered.size(), ids.size());

        stack.destroy();
        assertThat(stack.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    private Process start(String name) throws Exception {
        return api.startStack(dataDir, kafkaPort, Path.of("target", "local-stack-" + name + "-" + httpPort + ".log"),
                Duration.ofSeconds(120), List.of());
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Condition condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + timeout);
    }
}
