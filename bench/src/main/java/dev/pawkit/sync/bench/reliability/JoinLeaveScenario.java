package dev.pawkit.sync.bench.reliability;

import dev.pawkit.sync.bench.CardApi;
import dev.pawkit.sync.bench.ServerProcess;
import dev.pawkit.sync.infra.FreePorts;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * join-leave: one broker, one application instance serving all the time, and a second one that
 * joins the group under load and later leaves it cleanly (SIGTERM), again and again: each time
 * the partitions move to the newcomer with their stores and come back, transactions open on the
 * old owner are fenced, and the reads are routed to whichever instance owns the user at that
 * moment. Clients write to both; a write that found the second instance gone is retried with its
 * key on the first and must get the first answer.
 */
final class JoinLeaveScenario implements Scenario {

    @Override
    public String name() {
        return "join-leave";
    }

    @Override
    public Verdict run(Form form, Launcher launcher, PrintStream out) throws Exception {
        boolean quick = form == Form.QUICK;
        int cycles = quick ? 1 : 4;
        Duration interval = Duration.ofSeconds(quick ? 3 : 6);
        Workload.Size size = quick ? new Workload.Size(4, 2, 20) : new Workload.Size(8, 2, 100);

        int brokerPort = FreePorts.pick();
        String bootstrap = "127.0.0.1:" + brokerPort;
        launcher.broker("broker", launcher.work().resolve("kafka"), brokerPort, brokerPort);
        int stayingPort = FreePorts.pick();
        int joiningPort = FreePorts.pick();
        CardApi staying = new CardApi("http://127.0.0.1:" + stayingPort, launcher.secret());
        CardApi joining = new CardApi("http://127.0.0.1:" + joiningPort, launcher.secret());
        launcher.application("staying", bootstrap, stayingPort, launcher.work().resolve("staying"), staying);
        out.printf("scenario join-leave: %d users x %d clients x %d+ writes, a second instance joining and leaving"
                + " (SIGTERM) %d times, %d s apart%n", size.users(), size.clientsPerUser(), size.writesPerClient(),
                cycles, interval.toSeconds());

        long start = System.nanoTime();
        History history = UnderFault.run(List.of(staying, joining), "join-leave", size, Duration.ofMillis(20), interval,
                () -> {
                    for (int cycle = 0; cycle < cycles; cycle++) {
                        // A fresh state directory each time: a newcomer restores its share from the changelogs.
                        ServerProcess second = launcher.application("joining-" + cycle, bootstrap, joiningPort,
                                launcher.work().resolve("joining-" + cycle), joining);
                        out.printf("  %s: a second instance joined and serves%n", UnderFault.since(start));
                        Thread.sleep(interval.toMillis());
                        second.close();
                        out.printf("  %s: the second instance left (SIGTERM, stopped)%n", UnderFault.since(start));
                        Thread.sleep(interval.toMillis());
                    }
                }, out);
        return Scenario.audit(history, bootstrap, staying, launcher);
    }
}
