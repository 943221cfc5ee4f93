package dev.pawkit.sync.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.testsupport.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * How fast one client drains its queue against the server (no proxy): a queue of creates, then one
 * of updates, each on its own card. Prints the figure and writes it to
 * {@code target/client-drain-throughput.txt}; asserts only that every operation arrived once.
 */
class DrainThroughputTest extends StackTest {

    private static final int CARDS = 400;

    @Test
    void oneClientDrainsItsQueue() throws Exception {
        String token = Tokens.forUser(user);
        PawkitSyncClient client = open(SyncConfig.builder(stack.uri(), () -> token, dir.resolve("bench.db"))
                .retryPolicy(FAST).maxInFlight(8));
        for (int i = 0; i < CARDS; i++) {
            client.create(note("bench card " + i));
        }
        double creates = drainRate(client, CARDS);
        for (LocalCard card : client.cards()) {
            client.update(card.id(), CardPatch.empty().title("updated"));
        }
        double updates = drainRate(client, CARDS);

        String report = String.format(Locale.ROOT,
                "client drain, 1 client, batches of 100, 8 requests in flight: %d creates at %.0f ops/s, %d updates at %.0f ops/s%n",
                CARDS, creates, CARDS, updates);
        System.out.print(report);
        Files.writeString(Path.of("target", "client-drain-throughput.txt"), report);

        assertThat(server().liveCards()).hasSize(CARDS).allSatisfy(card -> {
            assertThat(card.get("version").asLong()).isEqualTo(2);
            assertThat(card.get("title").asString()).isEqualTo("updated");
        });
        assertThat(committedLog().eventsOf(user)).hasSize(2 * CARDS);
    }

    private static double drainRate(PawkitSyncClient client, int operations) throws InterruptedException {
        assertThat(client.operations()).hasSize(operations);
        long start = System.nanoTime();
        SyncStatus status = client.syncUntilIdle(Duration.ofMinutes(2));
        long elapsed = System.nanoTime() - start;
        assertThat(status).isEqualTo(new SyncStatus(0, 0, 0, false));
        return operations / (elapsed / 1e9);
    }
}
