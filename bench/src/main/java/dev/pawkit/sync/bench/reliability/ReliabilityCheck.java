package dev.pawkit.sync.bench.reliability;

import dev.pawkit.sync.bench.CardApi;
import dev.pawkit.sync.bench.Options;
import dev.pawkit.sync.bench.ServerProcess;
import dev.pawkit.sync.infra.FreePorts;
import dev.pawkit.sync.schemas.PawkitSerdes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The reliability check: runs the workload, then proves from the committed event log and the views
 * that nothing acknowledged was lost and nothing was applied twice (see docs/reliability.md).
 * Only the no-fault scenario exists so far. Exits 1 on any violation.
 *
 * <pre>
 *   java -cp "bench/target/classes:bench/target/lib/*" dev.pawkit.sync.bench.reliability.ReliabilityCheck --quick
 *       starts the stack jar (--stack-jar, default stack/target/pawkit-local-stack.jar) on free ports
 *   ... ReliabilityCheck --url http://localhost:8080 --bootstrap localhost:9092 [--secret S]
 *       against a running stack (its broker must be reachable for the audit)
 *   --users N --clients N --writes N   the workload's size (--quick: 4 users x 2 clients x 40 writes)
 * </pre>
 */
public final class ReliabilityCheck {

    /** The scenarios this check runs: the no-fault one. The fault matrix is future work. */
    static final int SCENARIOS = 1;

    private static final Duration WORKLOAD_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration AUDIT_TIMEOUT = Duration.ofSeconds(60);

    private ReliabilityCheck() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        boolean quick = options.containsKey("quick");
        Workload.Size size = new Workload.Size(
                Integer.parseInt(options.getOrDefault("users", quick ? "4" : "8")),
                Integer.parseInt(options.getOrDefault("clients", quick ? "2" : "3")),
                Integer.parseInt(options.getOrDefault("writes", quick ? "40" : "200")));
        String secret = options.getOrDefault("secret", CardApi.DEVELOPMENT_SECRET);
        Verdict verdict;
        if (options.containsKey("url")) {
            Map<String, Object> kafka = Map.of("bootstrap.servers", options.getOrDefault("bootstrap", "localhost:9092"));
            // The stack's master key opens what it sealed: the audit reads the event log's content.
            Path masterKey = Path.of(options.getOrDefault("master-key-file", "data/master-key.json"));
            verdict = run(new CardApi(options.get("url"), secret), kafka, CommittedEvents.serdes(kafka, masterKey),
                    "reliability-" + System.currentTimeMillis(), size, System.out);
        } else {
            verdict = againstOwnStack(options, secret, size);
        }
        System.exit(verdict.passed() ? 0 : 1);
    }

    /**
     * The no-fault scenario against one server: the workload under {@code userPrefix}, then the
     * audit, the counts and violations printed to {@code out}, ending with the summary line.
     */
    public static Verdict run(CardApi api, Map<String, Object> kafkaSettings, PawkitSerdes serdes, String userPrefix,
            Workload.Size size, PrintStream out) throws InterruptedException {
        out.printf("scenario no-fault: %d users x %d clients x %d writes against %s%n", size.users(),
                size.clientsPerUser(), size.writesPerClient(), api.baseUrl());
        History history = new Workload(api, userPrefix, size).run(WORKLOAD_TIMEOUT);
        Verdict verdict = Audit.check(history, new CommittedEvents(kafkaSettings, serdes), new ViewReader(api), AUDIT_TIMEOUT);
        verdict.print(out, SCENARIOS);
        return verdict;
    }

    /** The stack jar in a JVM of its own, on free ports and a fresh data directory, no write rate limit. */
    private static Verdict againstOwnStack(Map<String, String> options, String secret, Workload.Size size)
            throws Exception {
        Path jar = ServerProcess.stackJar(options);
        Path work = Files.createTempDirectory("pawkit-reliability");
        int httpPort = FreePorts.pick();
        int kafkaPort = FreePorts.pick();
        CardApi api = new CardApi("http://127.0.0.1:" + httpPort, secret);
        try (ServerProcess stack = ServerProcess.localStack(jar, work, secret, api, Map.of(
                "PAWKIT_HTTP_PORT", Integer.toString(httpPort), "PAWKIT_KAFKA_PORT", Integer.toString(kafkaPort)))) {
            Map<String, Object> kafka = Map.of("bootstrap.servers", "127.0.0.1:" + kafkaPort);
            return run(api, kafka, CommittedEvents.serdes(kafka, work.resolve("pawkit-data").resolve("master-key.json")),
                    "reliability", size, System.out);
        }
    }

}
