package dev.pawkit.sync.bench;

import dev.pawkit.sync.client.CardFields;
import dev.pawkit.sync.client.CardPatch;
import dev.pawkit.sync.client.CardType;
import dev.pawkit.sync.client.LocalCard;
import dev.pawkit.sync.client.PawkitSyncClient;
import dev.pawkit.sync.client.SyncConfig;
import dev.pawkit.sync.client.SyncStatus;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How fast one Java sync client drains its queue against a running stack: N creates queued first
 * (as if written offline), drained, then one update per card, drained. Prints operations/s.
 *
 * <pre>PAWKIT_TOKEN=$(scripts/mint-token drainer) mvn -q -pl bench exec:java \
 *     -Dexec.mainClass=dev.pawkit.sync.bench.DrainBenchmark -Dexec.args="--operations 1000"</pre>
 */
public final class DrainBenchmark {

    private DrainBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int operations = args.length == 2 && args[0].equals("--operations") ? Integer.parseInt(args[1]) : 1000;
        String token = System.getenv("PAWKIT_TOKEN");
        if (token == null) {
            throw new IllegalArgumentException("set PAWKIT_TOKEN (scripts/mint-token <user>)");
        }
        String server = System.getenv().getOrDefault("PAWKIT_SERVER", "http://127.0.0.1:8080");
        Path queue = Files.createTempDirectory("pawkit-drain-bench").resolve("queue.db");
        SyncConfig config = SyncConfig.builder(URI.create(server), () -> token, queue).build();
        try (PawkitSyncClient client = PawkitSyncClient.open(config)) {
            for (int i = 0; i < operations; i++) {
                client.create(CardFields.note(CardType.MD_NOTE, "note " + i));
            }
            client.start();
            report("creates", operations, drain(client));
            for (LocalCard card : client.cards()) {
                client.update(card.id(), CardPatch.empty().title("edited"));
            }
            report("updates", operations, drain(client));
        }
    }

    private static long drain(PawkitSyncClient client) throws InterruptedException {
        long started = System.nanoTime();
        SyncStatus status = client.syncUntilIdle(Duration.ofMinutes(10));
        if (!status.idle()) {
            throw new IllegalStateException("not drained: " + status);
        }
        return System.nanoTime() - started;
    }

    private static void report(String what, int operations, long nanos) {
        System.out.printf("%s: %d drained in %.1f s = %.0f operations/s%n", what, operations, nanos / 1e9,
                operations / (nanos / 1e9));
    }
}
