package dev.pawkit.sync.bench;

import dev.pawkit.sync.client.CardFields;
import dev.pawkit.sync.client.CardPatch;
import dev.pawkit.sync.client.CardType;
import dev.pawkit.sync.client.LocalCard;
import dev.pawkit.sync.client.PawkitSyncClient;
import dev.pawkit.sync.client.ServerCard;
import dev.pawkit.sync.client.SyncConfig;
import dev.pawkit.sync.client.SyncListener;
import dev.pawkit.sync.client.SyncStatus;
import dev.pawkit.sync.infra.FreePorts;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Two Java sync clients ({@link PawkitSyncClient}) of one user, both started (a pull, then the live
 * change stream; polling set to once an hour, so it never happens in a run), on the local stack in
 * a JVM of its own (fresh data directory, free ports). One card is edited by the two in turn: each
 * change is made on one client and must reach the other. Measured per change: from the writer's
 * acknowledgement (its queue empty again: the server answered the write) to the other client
 * having applied it from the stream ({@link SyncListener#serverChanges}), and from the local
 * write to that. The feed reads the server answered during the run (its
 * {@code http_server_requests} meter for {@code /api/cards/changes}) are the polls: 0 means every
 * change came through the stream. A change not applied within 10 s is counted as missing.
 *
 * <pre>scripts/benchmark-client-stream [--quick] [--changes N]</pre>
 */
@Command(name = "benchmark-client-stream", mixinStandardHelpOptions = true,
        description = "Delay from one Java client's acknowledged write to another client of the same user applying it"
                + " from the live change stream (p50/p99/max).")
public final class ClientStreamBenchmark implements Callable<Integer> {

    private static final Duration APPLY_WAIT = Duration.ofSeconds(10);
    private static final Duration NO_POLLING = Duration.ofHours(1);

    @Option(names = "--changes", description = "measured changes (default: 1000, or 100 with --quick)")
    private Integer changes;

    @Option(names = "--quick", description = "100 measured changes after 20 of warm-up (else 100 of warm-up)")
    private boolean quick;

    @Option(names = "--stack-jar", defaultValue = "stack/target/pawkit-local-stack.jar",
            description = "the stack jar to run (default: ${DEFAULT-VALUE})")
    private Path stackJar;

    /** One client's view of its own sync: when its queue emptied (its write answered), and what the server pushed. */
    private static final class Probe implements SyncListener {
        private final Map<String, Long> appliedAt = new ConcurrentHashMap<>();
        private volatile boolean awaitingAck;
        private volatile long ackedAt;

        void expectAck() {
            ackedAt = 0;
            awaitingAck = true;
        }

        @Override
        public void statusChanged(SyncStatus status) {
            // Published after each answer is recorded; the only write in flight is the measured one.
            if (awaitingAck && status.pending() == 0 && status.retrying() == 0) {
                ackedAt = System.nanoTime();
                awaitingAck = false;
            }
        }

        @Override
        public void serverChanges(List<ServerCard> cards) {
            long now = System.nanoTime();
            cards.forEach(card -> appliedAt.putIfAbsent(card.fields().title(), now));
        }

        long awaitAck(long deadline) throws InterruptedException {
            return awaitNonZero(() -> ackedAt, deadline);
        }

        long awaitApplied(String title, long deadline) throws InterruptedException {
            return awaitNonZero(() -> appliedAt.getOrDefault(title, 0L), deadline);
        }

        private static long awaitNonZero(java.util.function.LongSupplier value, long deadline)
                throws InterruptedException {
            long at;
            while ((at = value.getAsLong()) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(0, 100_000);
            }
            return at;
        }
    }

    /** The figures of one run of changes. */
    private static final class Figures {
        final Histogram afterAck = new Histogram(60_000_000L, 3);
        final Histogram fromWrite = new Histogram(60_000_000L, 3);
        int applied;
        int beforeAck;
        int missing;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ClientStreamBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int measured = changes != null ? changes : quick ? 100 : 1000;
        int warmUp = quick ? 20 : 100;
        if (!Files.exists(stackJar)) {
            throw new IllegalStateException(stackJar + " is missing: build it first (mvn -q -DskipTests package)");
        }
        String secret = System.getenv().getOrDefault("PAWKIT_JWT_SECRET", CardApi.DEVELOPMENT_SECRET);
        int httpPort = FreePorts.pick();
        int kafkaPort = FreePorts.pick();
        URI server = URI.create("http://127.0.0.1:" + httpPort);
        CardApi api = new CardApi(server.toString(), secret);
        Path work = Files.createTempDirectory("pawkit-client-stream");
        System.out.printf("client-stream benchmark: %d changes (+%d warm-up), %d cores, Java %s; logs under %s%n",
                measured, warmUp, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), work);
        String user = "client-stream-" + UUID.randomUUID();
        String token = api.token(user);
        Probe probeA = new Probe();
        Probe probeB = new Probe();
        Figures figures;
        long polls;
        long firstPulls;
        try (ServerProcess stack = ServerProcess.localStack(stackJar, work, secret, api, Map.of(
                "PAWKIT_HTTP_PORT", Integer.toString(httpPort), "PAWKIT_KAFKA_PORT", Integer.toString(kafkaPort)));
                PawkitSyncClient a = PawkitSyncClient.open(config(server, token, work.resolve("a.db"), probeA));
                PawkitSyncClient b = PawkitSyncClient.open(config(server, token, work.resolve("b.db"), probeB))) {
            a.start();
            b.start();
            String card = a.create(CardFields.note(CardType.MD_NOTE, "edited in turn").withTitle("start")).id();
            if (probeB.awaitApplied("start", System.nanoTime() + TimeUnit.SECONDS.toNanos(60)) == 0) {
                throw new IllegalStateException("the second client never got the first card (see " + stack.log() + ")");
            }
            System.out.println("warm-up ...");
            run(warmUp, card, a, b, probeA, probeB);
            firstPulls = feedReads(api);
            figures = run(measured, card, a, b, probeA, probeB);
            polls = feedReads(api) - firstPulls;
        }
        print(measured, figures, firstPulls, polls);
        return figures.missing == 0 ? 0 : 1;
    }

    private static SyncConfig config(URI server, String token, Path store, Probe probe) {
        return SyncConfig.builder(server, () -> token, store)
                .pollInterval(NO_POLLING)
                .listener(probe)
                .build();
    }

    /** {@code count} changes of the card, made on a and b in turn, each waited for on the other. */
    private static Figures run(int count, String card, PawkitSyncClient a, PawkitSyncClient b, Probe probeA,
            Probe probeB) throws InterruptedException {
        Figures figures = new Figures();
        for (int i = 0; i < count; i++) {
            boolean fromA = i % 2 == 0;
            PawkitSyncClient writer = fromA ? a : b;
            Probe writerProbe = fromA ? probeA : probeB;
            Probe readerProbe = fromA ? probeB : probeA;
            String title = "change-" + UUID.randomUUID();
            writerProbe.expectAck();
            long written = System.nanoTime();
            LocalCard local = writer.update(card, CardPatch.empty().title(title));
            if (!title.equals(local.fields().title())) {
                throw new IllegalStateException("the local change did not show at once: " + local);
            }
            long deadline = written + APPLY_WAIT.toNanos();
            long acked = writerProbe.awaitAck(deadline);
            long applied = readerProbe.awaitApplied(title, deadline);
            if (acked == 0 || applied == 0) {
                figures.missing++;
                continue;
            }
            figures.applied++;
            if (applied < acked) {
                figures.beforeAck++;
            }
            figures.afterAck.recordValue(Math.max(0, (applied - acked) / 1000));
            figures.fromWrite.recordValue((applied - written) / 1000);
        }
        return figures;
    }

    /** GET /api/cards/changes answered so far (the server's own meter), read with an operator token. */
    private static long feedReads(CardApi api) throws Exception {
        HttpResponse<String> metrics = api.sendAs("GET", "/actuator/prometheus", api.token("bench-operator", "operator"));
        if (metrics.statusCode() != 200) {
            throw new IllegalStateException("/actuator/prometheus answered " + metrics.statusCode());
        }
        double total = 0;
        for (String line : metrics.body().split("\n")) {
            if (line.startsWith("http_server_requests_seconds_count{") && line.contains("uri=\"/api/cards/changes\"")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) total;
    }

    private static void print(int measured, Figures f, long firstPulls, long polls) {
        System.out.println();
        System.out.println("from one client's write to the other client applying it from the stream (ms)");
        System.out.println("(after_ack: from the writer's answer, 0 when the other client had it first;"
                + " from_write: from the local change)");
        System.out.printf("%-12s %8s %8s %8s %8s%n", "", "p50", "p99", "p99.9", "max");
        for (var row : List.of(Map.entry("after_ack", f.afterAck), Map.entry("from_write", f.fromWrite))) {
            Histogram h = row.getValue();
            System.out.printf("%-12s %8.1f %8.1f %8.1f %8.1f%n", row.getKey(), h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0);
        }
        System.out.printf("applied %d of %d, %d before the writer had its answer, %d missing; feed reads: %d before"
                + " the run (each client's pull when it started), %d during it%n", f.applied, measured, f.beforeAck,
                f.missing, firstPulls, polls);
        System.out.printf("client-stream: changes=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f write_to_apply_p50_ms=%.1f"
                + " missing=%d polls=%d%n", measured, f.afterAck.getValueAtPercentile(50) / 1000.0,
                f.afterAck.getValueAtPercentile(99) / 1000.0, f.afterAck.getMaxValue() / 1000.0,
                f.fromWrite.getValueAtPercentile(50) / 1000.0, f.missing, polls);
    }
}
