package dev.pawkit.sync.bench.reliability;

import dev.pawkit.sync.bench.CardApi;
import dev.pawkit.sync.bench.Options;
import dev.pawkit.sync.bench.ServerProcess;
import dev.pawkit.sync.schemas.PawkitSerdes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The reliability check: runs scenarios (servers of their own, a workload, a fault), then proves
 * from the committed event log and the views that nothing acknowledged was lost and nothing was
 * applied twice (see docs/reliability.md). Prints per scenario what it checked and every violation,
 * and ends with one summary line summed over the scenarios. Exits 1 on any violation.
 *
 * <pre>
 *   java -cp "bench/target/classes:bench/target/lib/*" dev.pawkit.sync.bench.reliability.ReliabilityCheck [--quick]
 *       [--scenario no-fault,app-kill,...]   (default: all of them)
 *       starts the stack jar (--stack-jar, default stack/target/pawkit-local-stack.jar), and brokers, on free ports
 *   ... ReliabilityCheck --url http://localhost:8080 --bootstrap localhost:9092 [--secret S]
 *       the no-fault workload against a running stack (its broker must be reachable for the audit)
 *   --users N --clients N --writes N   the size with --url (--quick: 4 users x 2 clients x 40 writes)
 * </pre>
 */
public final class ReliabilityCheck {

    /** Every scenario, by the name {@code --scenario} takes, in the order a full run takes them. */
    static final Map<String, Scenario> SCENARIOS = scenarios(new NoFaultScenario(), new AppKillScenario(),
            new BrokerRestartScenario(), new ImpatientRestartScenario(), new IdenticalRequestsScenario(),
            new BrokerLossScenario(), new TcpProxyScenario(), new JoinLeaveScenario());

    private static final Duration WORKLOAD_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration AUDIT_TIMEOUT = Duration.ofSeconds(60);

    private ReliabilityCheck() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        boolean quick = options.containsKey("quick");
        String secret = options.getOrDefault("secret", CardApi.DEVELOPMENT_SECRET);
        boolean passed;
        if (options.containsKey("url")) {
            Workload.Size size = new Workload.Size(
                    Integer.parseInt(options.getOrDefault("users", quick ? "4" : "8")),
                    Integer.parseInt(options.getOrDefault("clients", quick ? "2" : "3")),
                    Integer.parseInt(options.getOrDefault("writes", quick ? "40" : "200")));
            Map<String, Object> kafka = Map.of("bootstrap.servers", options.getOrDefault("bootstrap", "localhost:9092"));
            // The stack's master key opens what it sealed: the audit reads the event log's content.
            Path masterKey = Path.of(options.getOrDefault("master-key-file", "data/master-key.json"));
            passed = run(new CardApi(options.get("url"), secret), kafka, CommittedEvents.serdes(kafka, masterKey),
                    "reliability-" + System.currentTimeMillis(), size, System.out).passed();
        } else {
            List<String> names = Arrays.asList(options.getOrDefault("scenario", String.join(",", SCENARIOS.keySet()))
                    .split(","));
            passed = runScenarios(names, quick ? Scenario.Form.QUICK : Scenario.Form.LONG,
                    ServerProcess.stackJar(options), secret, System.out).stream().allMatch(Verdict::passed);
        }
        System.exit(passed ? 0 : 1);
    }

    /**
     * The no-fault workload against one running server: the workload under {@code userPrefix}, then
     * the audit, the counts and violations printed to {@code out}, ending with the summary line.
     */
    public static Verdict run(CardApi api, Map<String, Object> kafkaSettings, PawkitSerdes serdes, String userPrefix,
            Workload.Size size, PrintStream out) throws InterruptedException {
        out.printf("scenario no-fault: %d users x %d clients x %d writes against %s%n", size.users(),
                size.clientsPerUser(), size.writesPerClient(), api.baseUrl());
        History history = new Workload(api, userPrefix, size).run(WORKLOAD_TIMEOUT);
        Verdict verdict = Audit.check(history, new CommittedEvents(kafkaSettings, serdes), new ViewReader(api), AUDIT_TIMEOUT);
        verdict.print(out, 1);
        return verdict;
    }

    /**
     * Runs the named scenarios one after the other, each with its own servers in a new directory
     * (deleted when it passed, kept with its logs when not), prints each one's checks and then the
     * summary line over all of them. A scenario that could not run (a server that did not start)
     * counts as failed, with the reason as its violation.
     */
    static List<Verdict> runScenarios(List<String> names, Scenario.Form form, Path stackJar, String secret,
            PrintStream out) throws IOException {
        for (String name : names) {
            if (!SCENARIOS.containsKey(name)) {
                throw new IllegalArgumentException("no scenario " + name + "; there are " + SCENARIOS.keySet());
            }
        }
        List<Verdict> verdicts = new ArrayList<>();
        for (String name : names) {
            Path work = Files.createTempDirectory("pawkit-reliability-" + name + "-");
            long start = System.nanoTime();
            Verdict verdict;
            try (Launcher launcher = new Launcher(stackJar, work, secret)) {
                verdict = SCENARIOS.get(name).run(form, launcher, out);
            } catch (Exception e) {
                e.printStackTrace(out);
                verdict = new Verdict(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                        List.of("scenario " + name + " could not run: " + e));
            }
            verdict.printChecks(out);
            // Its own counts, as the summary line has them for the whole run.
            out.printf("scenario %s: %s in %.0f s (%s)%s%n", name, verdict.passed() ? "passed" : "FAILED",
                    (System.nanoTime() - start) / 1e9, Verdict.counts(List.of(verdict)),
                    verdict.passed() ? "" : "; servers' logs in " + work + "/logs");
            if (verdict.passed()) {
                delete(work);
            }
            verdicts.add(verdict);
        }
        out.println(Verdict.line(names.size(), verdicts));
        return verdicts;
    }

    private static Map<String, Scenario> scenarios(Scenario... scenarios) {
        Map<String, Scenario> byName = new LinkedHashMap<>();
        for (Scenario scenario : scenarios) {
            byName.put(scenario.name(), scenario);
        }
        return byName;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
