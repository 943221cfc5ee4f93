package dev.pawkit.sync.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.testsupport.Tokens;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The client process is killed (kill -9, no shutdown of any kind) in the middle of draining its
 * queue, then started again on the same queue file: every operation must be applied exactly once,
 * none lost, including those whose answer the killed process never read.
 */
class KillDuringDrainTest extends StackTest {

    private static final int CARDS = 40;

    @Test
    void killedMidDrainThenRestartedAppliesEveryOperationExactlyOnce() throws Exception {
        Path store = dir.resolve("killed.db");
        List<Operation> queued;
        try (PawkitSyncClient writer = PawkitSyncClient.open(config("killed").build())) {
            List<LocalCard> cards = new ArrayList<>();
            for (int i = 0; i < CARDS; i++) {
                LocalCard card = writer.create(note("card " + i));
                writer.update(card.id(), CardPatch.empty().title("first " + i));
                writer.update(card.id(), CardPatch.empty().title("second " + i).tags("t" + i));
                cards.add(card);
            }
            for (int i = 0; i < 5; i++) {
                writer.delete(cards.get(i).id());
            }
            queued = writer.operations();
        }
        // Merged, the queue is 35 creates: 7 batches of 5, 2 in flight. Slow answers keep the drain
        // going long enough to be killed in the middle of it, with batches held by the proxy that
        // reach the server after the process is gone (their answers never read).
        proxy.latency(Duration.ofMillis(300));

        Process first = drain(store, "first");
        await().atMost(Duration.ofSeconds(60)).until(() -> proxy.writes().size() >= 2);
        first.destroyForcibly();
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        int sentBeforeKill = proxy.writes().size();
        assertThat(sentBeforeKill).isLessThan(7);

        proxy.latency(Duration.ZERO);
        Process second = drain(store, "second");
        assertThat(second.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isZero();

        try (PawkitSyncClient after = PawkitSyncClient.open(config("killed").build())) {
            assertThat(after.operations()).isEmpty();
        }
        assertThat(server().liveCards()).hasSize(CARDS - 5);
        for (String cardId : queued.stream().map(Operation::cardId).distinct().toList()) {
            assertMergedAppliedOnce(cardId, queued.stream().filter(op -> op.cardId().equals(cardId))
                    .map(Operation::idempotencyKey).toList());
        }
        assertThat(server().liveCards()).allSatisfy(card -> assertThat(card.get("title").asString())
                .startsWith("second "));
        List<EventEnvelope> log = committedLog().eventsOf(user);
        assertThat(log).extracting(EventEnvelope::idempotencyKey).doesNotHaveDuplicates()
                .isSubsetOf(queued.stream().map(Operation::idempotencyKey).toList());
    }

    /** The drain in a JVM of its own, on the test classpath, against the proxy. */
    private Process drain(Path store, String name) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", classpath, DrainProcess.class.getName(),
                proxy.uri().toString(), Tokens.forUser(user), store.toString(), "2", "5")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("drain-" + name + ".log").toFile())
                .start();
    }
}
