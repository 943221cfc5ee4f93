package dev.pawkit.sync.bench.reliability;

import dev.pawkit.sync.bench.CardApi;
import dev.pawkit.sync.infra.FreePorts;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * tcp-proxy: one broker whose advertised address is a {@link FaultyProxy}'s, so that every
 * connection of the application (and of the broker to itself, for transaction markers) goes
 * through it. Under load the proxy delays every chunk of bytes, then resets every connection, then
 * drops everything while keeping connections open (a partition), then heals.
 */
final class TcpProxyScenario implements Scenario {

    @Override
    public String name() {
        return "tcp-proxy";
    }

    @Override
    public Verdict run(Form form, Launcher launcher, PrintStream out) throws Exception {
        boolean quick = form == Form.QUICK;
        Duration phase = Duration.ofSeconds(quick ? 4 : 15);
        Workload.Size size = quick ? new Workload.Size(4, 2, 20) : new Workload.Size(8, 2, 100);

        int brokerPort = FreePorts.pick();
        int proxyPort = FreePorts.pick();
        String bootstrap = "127.0.0.1:" + proxyPort;
        try (FaultyProxy proxy = new FaultyProxy(proxyPort, brokerPort)) {
            launcher.broker("broker", launcher.work().resolve("kafka"), brokerPort, proxyPort);
            int httpPort = FreePorts.pick();
            CardApi api = new CardApi("http://127.0.0.1:" + httpPort, launcher.secret());
            launcher.application("instance", bootstrap, httpPort, launcher.work().resolve("instance"), api);
            out.printf("scenario tcp-proxy: %d users x %d clients x %d+ writes, the broker behind a proxy that delays"
                    + " (%d ms), resets, drops, %d s each%n", size.users(), size.clientsPerUser(),
                    size.writesPerClient(), FaultyProxy.DELAY.toMillis(), phase.toSeconds());

            long start = System.nanoTime();
            History history = UnderFault.run(List.of(api), "tcp-proxy", size, Duration.ofMillis(20), phase, () -> {
                for (FaultyProxy.Mode mode : List.of(FaultyProxy.Mode.DELAY, FaultyProxy.Mode.RESET,
                        FaultyProxy.Mode.DROP)) {
                    proxy.mode(mode);
                    out.printf("  %s: the proxy %s%n", UnderFault.since(start), mode.name().toLowerCase());
                    Thread.sleep(phase.toMillis());
                }
                proxy.mode(FaultyProxy.Mode.PASS);
                // The connections the partition left hanging are reset: their clients reconnect at once.
                proxy.resetAll();
                out.printf("  %s: the proxy heals%n", UnderFault.since(start));
                launcher.awaitServing(api);
                out.printf("  %s: the application serves again%n", UnderFault.since(start));
            }, out);
            return Scenario.audit(history, bootstrap, api, launcher);
        }
    }
}
