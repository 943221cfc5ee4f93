package dev.pawkit.sync.bench.reliability;

import dev.pawkit.sync.bench.CardApi;
import dev.pawkit.sync.infra.FreePorts;
import java.io.PrintStream;

/** no-fault: README's local stack, the workload, the audit. The base line the fault scenarios are read against. */
final class NoFaultScenario implements Scenario {

    @Override
    public String name() {
        return "no-fault";
    }

    @Override
    public Verdict run(Form form, Launcher launcher, PrintStream out) throws Exception {
        Workload.Size size = form == Form.QUICK ? new Workload.Size(4, 2, 40) : new Workload.Size(8, 3, 200);
        int httpPort = FreePorts.pick();
        int kafkaPort = FreePorts.pick();
        CardApi api = new CardApi("http://127.0.0.1:" + httpPort, launcher.secret());
        launcher.awaitStack(launcher.stack("stack", launcher.work().resolve("pawkit-data"), httpPort, kafkaPort));
        out.printf("scenario no-fault: %d users x %d clients x %d writes against %s%n", size.users(),
                size.clientsPerUser(), size.writesPerClient(), api.baseUrl());
        History history = new Workload(api, "no-fault", size).run(UnderFault.WORKLOAD_TIMEOUT);
        return Scenario.audit(history, "127.0.0.1:" + kafkaPort, api, launcher);
    }
}
