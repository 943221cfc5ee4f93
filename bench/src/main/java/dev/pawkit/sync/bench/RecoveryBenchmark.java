package dev.pawkit.sync.bench;

import dev.pawkit.sync.infra.FreePorts;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How long the local stack takes to serve again after a restart, a clean one (SIGTERM) and a crash
 * (kill -9), side by side in one run: the stack jar in a JVM of its own on a fresh data directory,
 * N cards loaded (through {@code POST /api/batch}, or written straight to its command topic with
 * {@code --load direct}, the default above 100,000 cards: {@link DirectLoad}), then stopped with
 * SIGTERM and started again, 100
 * cards more written, then killed with SIGKILL and started again. Each restart is timed from the signal to the first 200 of
 * {@code GET /api/cards?limit=200} that holds 200 cards, and where the time went is read from the
 * stack's log ({@link RestartLog}).
 *
 * <pre>
 * java -cp "bench/target/classes:bench/target/lib/*" dev.pawkit.sync.bench.RecoveryBenchmark [--cards 10000[,1000000]] [--long] [--load api|direct]
 * </pre>
 * {@code --long} is 10,000 and 1,000,000 cards. The last line per size reads
 * {@code recovery: cards=<n> sigterm_ready_s=… kill9_ready_s=… …}.
 */
public final class RecoveryBenchmark {

    /** Cards are spread over this many users, so the load covers every partition. */
    private static final int USERS = 50;
    private static final int BATCH = 100;
    /** The stack's {@code pawkit.kafka.partitions}. */
    private static final int PARTITIONS = 6;
    /** Above this, cards are loaded straight into the command topic unless {@code --load} says otherwise. */
    private static final long API_LOAD_LIMIT = 100_000;
    private static final String FIRST_PAGE = "/api/cards?limit=200";
    private static final Pattern READY_LINE = Pattern.compile("Pawkit ready at \\S+ in ([0-9.]+) s");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /**
     * The stack logs Kafka at WARN; a restart's steps are at INFO: the Streams state restoration
     * (records per changelog, how long), its state changes, the group joins and the transactional
     * producer's initialisation.
     */
    private static final List<String> RESTART_LOGGING = List.of(
            "--logging.level.org.apache.kafka.streams.processor.internals=INFO",
            "--logging.level.org.apache.kafka.streams.KafkaStreams=INFO",
            "--logging.level.org.apache.kafka.clients.consumer.internals.ConsumerCoordinator=INFO",
            "--logging.level.org.apache.kafka.clients.producer.internals.TransactionManager=INFO");

    private RecoveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        long[] sizes = Arrays.stream(options.getOrDefault("cards",
                options.containsKey("long") ? "10000,1000000" : "10000").split(","))
                .mapToLong(size -> Long.parseLong(size.trim())).toArray();
        int clients = Integer.parseInt(options.getOrDefault("clients", "16"));
        Path stackJar = ServerProcess.stackJar(options);
        String secret = System.getenv().getOrDefault("PAWKIT_JWT_SECRET", CardApi.DEVELOPMENT_SECRET);
        System.out.printf("recovery benchmark: cards %s, %d clients, %d cores, Java %s%n", Arrays.toString(sizes),
                clients, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        List<String> summaries = new ArrayList<>();
        for (long cards : sizes) {
            boolean direct = options.getOrDefault("load", cards > API_LOAD_LIMIT ? "direct" : "api").equals("direct");
            summaries.add(measure(stackJar, secret, cards, clients, direct));
        }
        summaries.forEach(System.out::println);
    }

    private static String measure(Path stackJar, String secret, long cards, int clients, boolean direct)
            throws Exception {
        Path work = Files.createTempDirectory("pawkit-recovery");
        int httpPort = FreePorts.pick();
        int kafkaPort = FreePorts.pick();
        Map<String, String> ports = Map.of("PAWKIT_HTTP_PORT", Integer.toString(httpPort),
                "PAWKIT_KAFKA_PORT", Integer.toString(kafkaPort));
        CardApi api = new CardApi("http://127.0.0.1:" + httpPort, secret);
        Path pawkitLog = work.resolve("pawkit-data").resolve("logs").resolve("pawkit.log");
        System.out.printf("%n== %,d cards (stack output and data under %s)%n", cards, work);

        // Whatever fails, the stack running at that moment is stopped: it is a process of its own.
        ServerProcess running = ServerProcess.localStack(stackJar, work, secret, ports, List.of(),
                work.resolve("stack.log"), ServerProcess.answers(api, "/api/cards", "readiness", 200),
                Duration.ofMinutes(10));
        Restart sigterm;
        Restart kill9;
        try {
            long loadStarted = System.nanoTime();
            if (direct) {
                DirectLoad.createNotes("127.0.0.1:" + kafkaPort, work.resolve("pawkit-data").resolve("master-key.json"),
                        PARTITIONS, cards, USERS, UUID.randomUUID().toString().substring(0, 8));
            } else {
                load(api, cards, clients);
            }
            double loadSeconds = (System.nanoTime() - loadStarted) / 1e9;
            System.out.printf("loaded %,d cards %s in %.1f s (%,.0f cards/s)%n", cards,
                    direct ? "into the command topic" : "through the API", loadSeconds, cards / loadSeconds);

            sigterm = restart("sigterm", running, stackJar, work, secret, ports, api, pawkitLog, false);
            running = sigterm.stack();
            // A crash hits a stack that has been working since its start, not one idle since its restore.
            sendBatch(api, "user-1", "after-restart", BATCH);
            kill9 = restart("kill9", running, stackJar, work, secret, ports, api, pawkitLog, true);
            running = kill9.stack();
        } finally {
            running.close();
        }
        return String.format(Locale.ROOT,
                "recovery: cards=%d sigterm_ready_s=%.1f kill9_ready_s=%.1f ratio=%.2f sigterm_stop_s=%.1f"
                        + " sigterm_restart_ready_line_s=%.1f kill9_restart_ready_line_s=%.1f"
                        + " sigterm_restored_records=%d kill9_restored_records=%d",
                cards, sigterm.signalToServing(), kill9.signalToServing(),
                kill9.signalToServing() / sigterm.signalToServing(), sigterm.stopSeconds(), sigterm.readyLine(),
                kill9.readyLine(), sigterm.log().restoredRecords(), kill9.log().restoredRecords());
    }

    /** Creates of note cards, 100 a batch, by {@code clients} concurrent clients over {@link #USERS} users. */
    private static void load(CardApi api, long cards, int clients) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long batches = (cards + BATCH - 1) / BATCH;
        AtomicLong next = new AtomicLong();
        AtomicLong created = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit(() -> {
                    for (long b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                        int size = (int) Math.min(BATCH, cards - b * BATCH);
                        created.addAndGet(sendBatch(api, "user-" + (b % USERS), run + "-" + b, size));
                        if (b % 1000 == 999) {
                            System.out.printf("  %,d cards%n", created.get());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        if (created.get() != cards) {
            throw new IllegalStateException("created " + created.get() + " cards of " + cards);
        }
    }

    /**
     * One batch of creates, sent again with the same keys while a member is still pending (a 202:
     * appended, not yet decided; a 503: not appended in time) until every member is a 201 (the
     * retry replays the decided ones).
     */
    private static int sendBatch(CardApi api, String user, String batchId, int size) throws Exception {
        StringBuilder body = new StringBuilder("{\"operations\":[");
        for (int i = 0; i < size; i++) {
            body.append(i == 0 ? "" : ",").append("{\"method\":\"POST\",\"path\":\"/api/cards\",\"idempotencyKey\":\"")
                    .append(batchId).append('-').append(i)
                    .append("\",\"body\":{\"type\":\"md-note\",\"title\":\"recovery card ").append(batchId).append('-')
                    .append(i).append("\"}}");
        }
        body.append("]}");
        // Patient: on a loaded machine the projector can lag its appends by minutes.
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = api.send("POST", "/api/batch", user, body.toString(), Map.of(),
                    Duration.ofSeconds(60));
            if (response.statusCode() != 200) {
                throw new IllegalStateException("batch answered " + response.statusCode() + ": " + response.body());
            }
            int created = 0;
            for (JsonNode result : JSON.readTree(response.body()).get("results")) {
                int status = result.get("status").asInt();
                if (status == 201) {
                    created++;
                } else if (status != 202 && status != 503) {
                    // 503: the append timed out on a loaded machine; the retry under the same key is the contract.
                    throw new IllegalStateException("a batch member answered " + result);
                }
            }
            if (created == size) {
                return created;
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("batch " + batchId + " still pending after 10 minutes");
    }

    private record Restart(ServerProcess stack, double stopSeconds, double signalToServing, double readyLine,
            RestartLog log) {
    }

    /**
     * Stops {@code running} (SIGTERM and its shutdown, or SIGKILL), starts the stack again on the same
     * data and times it until the first page of a loaded user holds 200 cards.
     */
    private static Restart restart(String name, ServerProcess running, Path stackJar, Path work, String secret,
            Map<String, String> ports, CardApi api, Path pawkitLog, boolean crash) throws Exception {
        long signalled = System.nanoTime();
        if (crash) {
            running.kill();
        } else {
            running.close();
        }
        double stopSeconds = (System.nanoTime() - signalled) / 1e9;
        long logOffset = Files.size(pawkitLog);
        Path output = work.resolve("stack-after-" + name + ".log");
        ServerProcess restarted = ServerProcess.localStack(stackJar, work, secret, ports, RESTART_LOGGING, output,
                () -> firstPageServed(api), Duration.ofMinutes(30));
        double signalToServing = (System.nanoTime() - signalled) / 1e9;
        double readyLine = readyLine(output);
        RestartLog log = RestartLog.read(pawkitLog, logOffset);
        System.out.printf(Locale.ROOT, "%s: stopped in %.1f s; signal to first page %.1f s; ready line at %.1f s of"
                + " the new JVM%n%s", name, stopSeconds, signalToServing, readyLine, log.describe());
        return new Restart(restarted, stopSeconds, signalToServing, readyLine, log);
    }

    private static boolean firstPageServed(CardApi api) throws Exception {
        HttpResponse<String> response = api.send("GET", FIRST_PAGE, "user-0", null, Map.of(), Duration.ofSeconds(10));
        return response.statusCode() == 200 && JSON.readTree(response.body()).get("items").size() == 200;
    }

    /** The JVM uptime the stack prints with its ready line (it comes just after the projector runs). */
    private static double readyLine(Path output) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher matcher = READY_LINE.matcher(Files.readString(output));
            if (matcher.find()) {
                return Double.parseDouble(matcher.group(1));
            }
            Thread.sleep(100);
        }
        return Double.NaN;
    }
}
