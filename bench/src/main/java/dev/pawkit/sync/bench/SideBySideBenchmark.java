package dev.pawkit.sync.bench;

import dev.pawkit.sync.bench.ClosedLoop.Users;
import dev.pawkit.sync.bench.ClosedLoop.Workload;
import dev.pawkit.sync.bench.postgres.OptionBApplication;
import dev.pawkit.sync.bench.postgres.PostgresServer;
import dev.pawkit.sync.projector.Stores;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pawkit against the service a team would build instead (Option B: Spring MVC, JDBC, PostgreSQL
 * with a unique idempotency-key table and a version column), side by side in one run on this
 * machine, with the log's own limits beside them:
 * <ol>
 *   <li>raw appends of records the size of a card command, and the projector alone draining a
 *   pre-filled command topic (the mix), on a fresh broker in this JVM; the projector's
 *   stores on disk after the drain;</li>
 *   <li>the local stack (README's run command, in a JVM of its own, a fresh data directory) over
 *   HTTP: creates at 1 and 32 clients, the mix at several client counts with one user and with
 *   many, a trivial answer of the same server (the HTTP ceiling), an open loop at fixed rates;
 *   heap and resident memory after the load;</li>
 *   <li>Option B over HTTP under the same load, its PostgreSQL started here on loopback (fsync on).</li>
 * </ol>
 * Prints one table and, last, the summary line. {@code --quick} runs fewer and shorter steps.
 *
 * <pre>scripts/benchmark [--quick]</pre>
 */
public final class SideBySideBenchmark {

    private static final String PAWKIT_URL = "http://127.0.0.1:8080";
    private static final String OPTION_B_URL = "http://127.0.0.1:8090";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    /** How much to run: the full plan, or the quick one (under 4 minutes on this machine). */
    record Plan(String name, int drainCommands, Duration serverWarmup, Duration warmup, Duration measure,
            List<Integer> mixClients, List<Integer> openRates, Duration openFor) {

        static Plan of(boolean quick) {
            return quick
                    ? new Plan("quick", 20_000, Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(5),
                            List.of(1, 32), List.of(200), Duration.ofSeconds(5))
                    : new Plan("full", 1_000_000, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(15),
                            List.of(1, 32, 128, 512), List.of(100, 300, 600), Duration.ofSeconds(10));
        }
    }

    /** One system's figures, by row. */
    private record SystemFigures(Map<String, LoadFigures> rows, long[] heap, long[] resident) {
    }

    private SideBySideBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        Plan plan = Plan.of(Boolean.parseBoolean(options.getOrDefault("quick", "false")));
        Path stackJar = ServerProcess.stackJar(options);
        String secret = System.getenv().getOrDefault("PAWKIT_JWT_SECRET", CardApi.DEVELOPMENT_SECRET);
        Path work = Files.createTempDirectory("pawkit-side-by-side");
        long started = System.nanoTime();
        System.out.printf("side-by-side benchmark (%s plan), %d cores, Java %s; logs under %s%n", plan.name(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), work);

        System.out.printf("[1/3] raw appends and the projector alone, %,d commands ...%n", plan.drainCommands());
        ProjectorDrainBenchmark.Figures log = ProjectorDrainBenchmark.measure(plan.drainCommands());

        System.out.println("[2/3] Pawkit: the local stack over HTTP ...");
        CardApi pawkitApi = new CardApi(PAWKIT_URL, secret);
        refuseIfTaken(pawkitApi);
        SystemFigures pawkit;
        try (ServerProcess stack = ServerProcess.localStack(stackJar, work, secret, pawkitApi)) {
            pawkit = measure(pawkitApi, plan, stack);
        }

        System.out.println("[3/3] Option B: Spring MVC + JDBC + PostgreSQL over HTTP ...");
        CardApi optionBApi = new CardApi(OPTION_B_URL, secret);
        refuseIfTaken(optionBApi);
        SystemFigures postgres;
        try (PostgresServer database = PostgresServer.start();
                ServerProcess optionB = ServerProcess.start("Option B",
                        List.of(java(), "-cp", System.getProperty("java.class.path"), OptionBApplication.class.getName(),
                                "--server.port=8090", "--spring.datasource.url=" + database.jdbcUrl()),
                        Map.of("PAWKIT_JWT_SECRET", secret), work.resolve("option-b.log"), START_TIMEOUT,
                        ServerProcess.answers(optionBApi, "/api/cards/00000000-0000-0000-0000-000000000000",
                                "readiness", 404))) {
            postgres = measure(optionBApi, plan, optionB);
        }

        print(plan, log, pawkit, postgres, (System.nanoTime() - started) / 1e9);
    }

    private static SystemFigures measure(CardApi api, Plan plan, ServerProcess server) throws Exception {
        // A just-started JVM runs interpreted code: both servers get the same load first, unmeasured.
        new ClosedLoop(api, Workload.MIX, Users.MANY).run("server warm-up", 32, Duration.ZERO, plan.serverWarmup());
        Map<String, LoadFigures> rows = new LinkedHashMap<>();
        run(rows, new ClosedLoop(api, Workload.CREATES, Users.MANY).run("creates, 1 client", 1, plan.warmup(),
                plan.measure()));
        run(rows, new ClosedLoop(api, Workload.CREATES, Users.MANY).run("creates, 32 clients, many users", 32,
                plan.warmup(), plan.measure()));
        for (int clients : plan.mixClients()) {
            run(rows, new ClosedLoop(api, Workload.MIX, Users.MANY).run(
                    "mix, " + clients + (clients == 1 ? " client" : " clients, many users"), clients, plan.warmup(),
                    plan.measure()));
            if (clients > 1) {
                run(rows, new ClosedLoop(api, Workload.MIX, Users.ONE).run("mix, " + clients + " clients, one user",
                        clients, plan.warmup(), plan.measure()));
            }
        }
        run(rows, new ClosedLoop(api, Workload.CEILING, Users.MANY).run("ceiling (401), 32 clients", 32,
                plan.warmup(), plan.measure()));
        for (int rate : plan.openRates()) {
            run(rows, new OpenLoop(api, 1_000).run("open loop, creates at " + rate + "/s", rate, plan.openFor()));
        }
        return new SystemFigures(rows, server.heapBytes(), server.residentBytes());
    }

    private static void run(Map<String, LoadFigures> rows, LoadFigures figures) {
        rows.put(figures.label(), figures);
        System.out.printf("  %-34s %8.0f req/s  p50 %6.1f  p99 %6.1f ms%s%n", figures.label(),
                figures.requestsPerSecond(), figures.millis(50), figures.millis(99),
                figures.clean() ? "" : "  (" + figures.unexpected() + " unexpected answers, " + figures.mismatches()
                        + " cards off their acknowledged version; statuses " + figures.statuses() + ")");
    }

    private static void print(Plan plan, ProjectorDrainBenchmark.Figures log, SystemFigures pawkit,
            SystemFigures postgres, double seconds) {
        System.out.println();
        System.out.printf("%-36s | %-40s | %-40s | %s%n", "load", "Pawkit: req/s, p50 / p99 / p99.9 ms",
                "PostgreSQL Option B: req/s, p50 / p99 / p99.9 ms", "pawkit/pg");
        System.out.println("-".repeat(36) + "-+-" + "-".repeat(40) + "-+-" + "-".repeat(40) + "-+-" + "-".repeat(9));
        for (String row : pawkit.rows().keySet()) {
            LoadFigures p = pawkit.rows().get(row);
            LoadFigures q = postgres.rows().get(row);
            System.out.printf("%-36s | %-40s | %-40s | %.2f%n", row, cell(p), cell(q),
                    p.requestsPerSecond() / q.requestsPerSecond());
        }
        System.out.printf("%-36s | %-40s |%n", "raw appends, " + log.recordBytes() + " B, acks=all",
                String.format("%,.0f records/s", log.rawPerSecond()));
        System.out.printf("%-36s | %-40s |%n", "projector alone, " + String.format("%,d", log.commands()) + " commands",
                String.format("%,.0f commands/s, events %s", log.drainedPerSecond(),
                        log.events() == log.expectedEvents() ? "exact" : log.events() + " of " + log.expectedEvents()));
        System.out.printf("%-36s | %-40s | %-40s |%n", "heap used of committed, RSS", memory(pawkit),
                memory(postgres) + " (JVM)");
        long cards = log.counts().creates();
        System.out.printf("%-36s | %-40s |%n", "RocksDB per 1M cards: card, views",
                String.format("%,.0f MB; %,.0f MB with feed, sequence", perMillion(log.bytesOf(Stores.CARDS), cards) / 1e6,
                        perMillion(log.bytesOf(Stores.CARDS) + log.bytesOf(Stores.CHANGES)
                                + log.bytesOf(Stores.USER_SEQUENCE), cards) / 1e6));
        System.out.printf("%-36s | %-40s |%n", "idempotency store bytes per key",
                String.format("%.0f B (%,d keys)", (double) log.bytesOf(Stores.IDEMPOTENCY) / log.keys(), log.keys()));
        System.out.printf("stores after the drain, SST bytes (%,d cards, %,d events, %,d commands): %s%n", cards,
                log.events(), log.commands(), log.storeBytes());
        System.out.printf("%s plan, %.0f s%n", plan.name(), seconds);

        LoadFigures mix32 = pawkit.rows().get("mix, 32 clients, many users");
        LoadFigures creates1 = pawkit.rows().get("creates, 1 client");
        LoadFigures creates32 = pawkit.rows().get("creates, 32 clients, many users");
        System.out.printf("summary: projector/raw=%.2f http/ceiling=%.2f pawkit/postgres=%.2f p50_1_ms=%d p99_32_ms=%d creates_32=%d%n",
                log.drainedPerSecond() / log.rawPerSecond(),
                mix32.requestsPerSecond() / pawkit.rows().get("ceiling (401), 32 clients").requestsPerSecond(),
                mix32.requestsPerSecond() / postgres.rows().get("mix, 32 clients, many users").requestsPerSecond(),
                Math.round(creates1.millis(50)), Math.round(creates32.millis(99)),
                Math.round(creates32.createsPerSecond()));
    }

    private static String cell(LoadFigures figures) {
        return String.format("%,8.0f  %6.1f / %6.1f / %7.1f%s", figures.requestsPerSecond(), figures.millis(50),
                figures.millis(99), figures.millis(99.9), figures.clean() ? "" : " !");
    }

    private static String memory(SystemFigures figures) {
        return String.format("%,d of %,d MB, RSS %,d MB", figures.heap()[1] >> 20, figures.heap()[0] >> 20,
                figures.resident()[0] >> 20);
    }

    private static double perMillion(long bytes, long cards) {
        return cards == 0 ? 0 : bytes * 1_000_000.0 / cards;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Another server on the port would be measured instead of ours. */
    static void refuseIfTaken(CardApi api) throws Exception {
        try {
            api.send("GET", "/", null, null, Map.of());
        } catch (ConnectException e) {
            return;
        }
        throw new IllegalStateException("something already answers on " + api.baseUrl() + ": stop it first");
    }
}
