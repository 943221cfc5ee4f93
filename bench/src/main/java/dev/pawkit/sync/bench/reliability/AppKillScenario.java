package dev.pawkit.sync.bench.reliability;

import dev.pawkit.sync.bench.CardApi;
import dev.pawkit.sync.bench.ServerProcess;
import dev.pawkit.sync.infra.FreePorts;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * app-kill: one broker, two application instances (API with its projector co-located, reads routed
 * to the partition's owner) sharing the partitions. Every few seconds one instance, in turn, is
 * killed with kill -9 while writes are in flight (its projector mid-transaction, its API between
 * an append and the reply) and started again on the same port and state; it rejoins the group, so
 * a projector instance leaves and joins under load. Clients whose attempt found no instance retry
 * with the same key and body on the other one and must get the first answer.
 */
final class AppKillScenario implements Scenario {

    private static final int INSTANCES = 2;

    @Override
    public String name() {
        return "app-kill";
    }

    @Override
    public Verdict run(Form form, Launcher launcher, PrintStream out) throws Exception {
        boolean quick = form == Form.QUICK;
        int kills = quick ? 2 : 8;
        Duration interval = Duration.ofSeconds(quick ? 3 : 6);
        Workload.Size size = quick ? new Workload.Size(4, 2, 20) : new Workload.Size(8, 2, 100);

        int brokerPort = FreePorts.pick();
        String bootstrap = "127.0.0.1:" + brokerPort;
        launcher.broker("broker", launcher.work().resolve("kafka"), brokerPort, brokerPort);
        List<CardApi> apis = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        ServerProcess[] instances = new ServerProcess[INSTANCES];
        for (int i = 0; i < INSTANCES; i++) {
            ports.add(FreePorts.pick());
            apis.add(new CardApi("http://127.0.0.1:" + ports.get(i), launcher.secret()));
            instances[i] = start(launcher, i, bootstrap, ports.get(i), apis.get(i));
        }
        out.printf("scenario app-kill: %d users x %d clients x %d+ writes over %d instances, %d kills (kill -9) %d s"
                + " apart%n", size.users(), size.clientsPerUser(), size.writesPerClient(), INSTANCES, kills,
                interval.toSeconds());

        long start = System.nanoTime();
        History history = UnderFault.run(apis, "app-kill", size, Duration.ofMillis(20), interval, () -> {
            for (int k = 0; k < kills; k++) {
                int i = k % INSTANCES;
                if (k > 0) {
                    Thread.sleep(interval.toMillis());
                }
                instances[i].kill();
                out.printf("  %s: killed instance %d (kill -9)%n", UnderFault.since(start), i);
                instances[i] = start(launcher, i, bootstrap, ports.get(i), apis.get(i));
                out.printf("  %s: instance %d serves again%n", UnderFault.since(start), i);
            }
        }, out);
        return Scenario.audit(history, bootstrap, apis.get(0), launcher);
    }

    private static ServerProcess start(Launcher launcher, int i, String bootstrap, int port, CardApi api)
            throws Exception {
        Path state = launcher.work().resolve("instance-" + i);
        return launcher.application("instance-" + i, bootstrap, port, state, api);
    }
}
