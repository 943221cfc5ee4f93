package dev.pawkit.sync.bench.reliability;

import dev.pawkit.sync.bench.CardApi;
import dev.pawkit.sync.bench.ServerProcess;
import dev.pawkit.sync.infra.FreePorts;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * broker-restart: one broker in a process of its own, one application instance on it. Mid-run the
 * broker is killed with kill -9 (open transactions, appends in flight, the page cache its only
 * copy of the tail) and started again on the same port and log after a short outage. Writes meanwhile
 * get 503 or no answer; the clients retry with their keys until decided.
 */
final class BrokerRestartScenario implements Scenario {

    @Override
    public String name() {
        return "broker-restart";
    }

    @Override
    public Verdict run(Form form, Launcher launcher, PrintStream out) throws Exception {
        boolean quick = form == Form.QUICK;
        int kills = quick ? 1 : 3;
        Duration outage = Duration.ofSeconds(quick ? 2 : 5);
        Duration interval = Duration.ofSeconds(quick ? 4 : 15);
        Workload.Size size = quick ? new Workload.Size(4, 2, 20) : new Workload.Size(8, 2, 100);

        int brokerPort = FreePorts.pick();
        String bootstrap = "127.0.0.1:" + brokerPort;
        Path log = launcher.work().resolve("kafka");
        ServerProcess[] broker = {launcher.broker("broker", log, brokerPort, brokerPort)};
        int httpPort = FreePorts.pick();
        CardApi api = new CardApi("http://127.0.0.1:" + httpPort, launcher.secret());
        launcher.application("instance", bootstrap, httpPort, launcher.work().resolve("instance"), api);
        out.printf("scenario broker-restart: %d users x %d clients x %d+ writes, the broker killed (kill -9) %d times,"
                + " down %d s each%n", size.users(), size.clientsPerUser(), size.writesPerClient(), kills,
                outage.toSeconds());

        long start = System.nanoTime();
        History history = UnderFault.run(List.of(api), "broker-restart", size, Duration.ofMillis(20), interval, () -> {
            for (int k = 0; k < kills; k++) {
                if (k > 0) {
                    Thread.sleep(interval.toMillis());
                }
                broker[0].kill();
                out.printf("  %s: killed the broker (kill -9)%n", UnderFault.since(start));
                Thread.sleep(outage.toMillis());
                broker[0] = launcher.broker("broker", log, brokerPort, brokerPort);
                out.printf("  %s: the broker serves again%n", UnderFault.since(start));
                // Writes go on until the application has found its way back to the broker.
                launcher.awaitServing(api);
                out.printf("  %s: the application serves again%n", UnderFault.since(start));
            }
        }, out);
        return Scenario.audit(history, bootstrap, api, launcher);
    }
}
