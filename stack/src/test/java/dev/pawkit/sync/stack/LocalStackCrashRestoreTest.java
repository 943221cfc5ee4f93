package dev.pawkit.sync.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * After a kill -9 the projector restores only the tail of its changelogs, not all of them, and
 * serves every card: its stores are transactional (Kafka 4.4, KIP-892), so what a crash left on
 * disk was committed, and Kafka Streams keeps it instead of wiping the stores as exactly-once had
 * to before (a store could hold writes of a transaction the crash aborted). The stack runs as a
 * process of its own: started, written to, stopped with SIGTERM (its stores closed, on disk),
 * started, written to, killed, started.
 */
class LocalStackCrashRestoreTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern CARDS_RESTORED = Pattern.compile(
            "Finished restoring changelog pawkit-projector-cards-changelog-\\d+ to store cards with a total number of (\\d+) records");
    private static final int CARDS_PER_RUN = 10;

    @TempDir
    Path dataDir;

    private final int httpPort = LocalStackClient.freePort();
    private final int kafkaPort = LocalStackClient.freePort();
    private final LocalStackClient api = new LocalStackClient(httpPort, "crash-restore-user", Duration.ofSeconds(15));
    private Process stack;

    @AfterEach
    void stopStack() throws InterruptedException {
        if (stack != null && stack.isAlive()) {
            stack.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void afterAKillOnlyTheChangelogsTailIsRestoredAndEveryCardIsServed() throws Exception {
        List<String> cards = new ArrayList<>();
        stack = start("first");
        cards.addAll(createCards());
        stack.destroy();
        assertThat(stack.waitFor(60, TimeUnit.SECONDS)).as("SIGTERM stopped the stack").isTrue();

        stack = start("second");
        cards.addAll(createCards());
        stack.destroyForcibly();
        assertThat(stack.waitFor(60, TimeUnit.SECONDS)).isTrue();

        Path log = dataDir.resolve("logs").resolve("pawkit.log");
        long before = Files.size(log);
        stack = start("third");

        // Each create put one record in the cards changelog. The first run's were on disk when the
        // stack stopped cleanly; the second run's were in memory when it was killed, and are
        // restored. A wipe would restore them all.
        assertThat(cardsRestored(log, before)).as("cards records restored after the kill")
                .isBetween((long) CARDS_PER_RUN, (long) cards.size() - 1);
        JsonNode page = JSON.readTree(api.get("/api/cards?limit=1000").body());
        List<String> served = new ArrayList<>();
        page.get("items").forEach(item -> served.add(item.get("id").stringValue()));
        assertThat(served).containsExactlyInAnyOrderElementsOf(cards);
    }

    private List<String> createCards() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CARDS_PER_RUN; i++) {
            var created = api.createNote(UUID.randomUUID().toString());
            assertThat(created.statusCode()).isEqualTo(201);
            ids.add(JSON.readTree(created.body()).get("id").stringValue());
        }
        return ids;
    }

    /** The cards store's restored records, summed over its partitions, in the log after {@code offset}. */
    private static long cardsRestored(Path log, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(log);
        String text = new String(bytes, (int) Math.min(offset, bytes.length), bytes.length - (int) Math.min(offset,
                bytes.length), StandardCharsets.UTF_8);
        long restored = 0;
        Matcher matcher = CARDS_RESTORED.matcher(text);
        while (matcher.find()) {
            restored += Long.parseLong(matcher.group(1));
        }
        return restored;
    }

    private Process start(String name) throws Exception {
        // Generous: the machines this runs on are shared.
        return api.startStack(dataDir, kafkaPort, Path.of("target", "local-stack-crash-restore-" + name + "-" + httpPort + ".log"),
                Duration.ofSeconds(300),
                // The restore's record counts are logged at INFO; the stack logs Kafka at WARN.
                List.of("--logging.level.org.apache.kafka.streams.processor.internals.StoreChangelogReader=INFO"));
    }
}
