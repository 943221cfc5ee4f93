package dev.pawkit.sync.bench.reliability;

import dev.pawkit.sync.bench.CardApi;
import dev.pawkit.sync.bench.ServerProcess;
import dev.pawkit.sync.infra.FreePorts;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * impatient-restart: README's local stack (its own broker) under load is stopped with SIGTERM and,
 * at once, started again on the same data directory and ports while the first is still stopping
 * (the second is launched just before the SIGTERM, so that it surely meets the first stopping):
 * the second must wait for the data directory's lock and never run beside the first (two brokers
 * on one log). Then the stack is killed with kill -9 and started again. The clients, all on the one
 * address, retry with their keys through both.
 */
final class ImpatientRestartScenario implements Scenario {

    /** What the stack prints just before it takes the data directory's lock. */
    private static final String STARTING = "Pawkit starting";
    /** What the stack prints while another one holds the data directory (README, DataDirLock). */
    private static final String WAITING = "waiting for it to stop";

    @Override
    public String name() {
        return "impatient-restart";
    }

    @Override
    public Verdict run(Form form, Launcher launcher, PrintStream out) throws Exception {
        boolean quick = form == Form.QUICK;
        int rounds = quick ? 1 : 3;
        Duration interval = Duration.ofSeconds(quick ? 3 : 10);
        Workload.Size size = quick ? new Workload.Size(4, 2, 20) : new Workload.Size(8, 2, 100);

        int httpPort = FreePorts.pick();
        int kafkaPort = FreePorts.pick();
        Path data = launcher.work().resolve("pawkit-data");
        CardApi api = new CardApi("http://127.0.0.1:" + httpPort, launcher.secret());
        ServerProcess[] stack = {launcher.stack("stack", data, httpPort, kafkaPort)};
        launcher.awaitStack(stack[0]);
        out.printf("scenario impatient-restart: %d users x %d clients x %d+ writes, %d x (SIGTERM and start at once,"
                + " then kill -9 and start)%n", size.users(), size.clientsPerUser(), size.writesPerClient(), rounds);

        List<String> violations = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        History history = UnderFault.run(List.of(api), "impatient-restart", size, Duration.ofMillis(20), interval, () -> {
            for (int r = 0; r < rounds; r++) {
                if (r > 0) {
                    Thread.sleep(interval.toMillis());
                }
                ServerProcess stopping = stack[0];
                // The second is started first and SIGTERM sent once it is at the lock: on a loaded
                // machine a JVM takes longer to start than the stack to stop, and then nothing overlaps.
                stack[0] = launcher.stack("stack", data, httpPort, kafkaPort);
                launcher.awaitPrinted(stack[0], STARTING);
                stopping.terminate();
                out.printf("  %s: a second stack started on the same data, SIGTERM to the first%n",
                        UnderFault.since(start));
                launcher.awaitStack(stack[0]);
                out.printf("  %s: the second stack serves%n", UnderFault.since(start));
                if (!Files.readString(stack[0].log(), StandardCharsets.ISO_8859_1).contains(WAITING)) {
                    violations.add("the second stack did not wait for the first one's data directory lock");
                }
                if (stopping.isAlive()) {
                    violations.add("the second stack served while the first (pid " + stopping.pid() + ") still ran");
                }
                Thread.sleep(interval.toMillis());
                stack[0].kill();
                out.printf("  %s: killed the stack (kill -9)%n", UnderFault.since(start));
                stack[0] = launcher.stack("stack", data, httpPort, kafkaPort);
                launcher.awaitStack(stack[0]);
                out.printf("  %s: the stack serves again%n", UnderFault.since(start));
            }
        }, out);
        return Scenario.audit(history, "127.0.0.1:" + kafkaPort, api, launcher).withViolations(violations);
    }
}
