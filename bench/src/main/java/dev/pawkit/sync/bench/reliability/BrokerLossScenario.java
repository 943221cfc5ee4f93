package dev.pawkit.sync.bench.reliability;

import dev.pawkit.sync.bench.CardApi;
import dev.pawkit.sync.bench.ServerProcess;
import dev.pawkit.sync.infra.FreePorts;
import dev.pawkit.sync.infra.LocalKafkaCluster;
import dev.pawkit.sync.infra.PawkitTopics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * broker-loss: the production shape, three brokers each in a process of its own (replication factor
 * 3, {@code min.insync.replicas=2}), one application instance on them. Under load the broker that
 * leads the most command partitions is killed with kill -9; writes go on on the other two (leaders
 * move, a write needs two replicas), then the lost one is started again and catches up.
 */
final class BrokerLossScenario implements Scenario {

    @Override
    public String name() {
        return "broker-loss";
    }

    @Override
    public Verdict run(Form form, Launcher launcher, PrintStream out) throws Exception {
        boolean quick = form == Form.QUICK;
        Duration outage = Duration.ofSeconds(quick ? 5 : 20);
        Duration warmUp = Duration.ofSeconds(quick ? 3 : 10);
        Workload.Size size = quick ? new Workload.Size(4, 2, 20) : new Workload.Size(8, 2, 100);

        List<Integer> ports = new ArrayList<>();
        List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 0; i < LocalKafkaCluster.NODES; i++) {
            ports.add(FreePorts.pick());
            controllerPorts.add(FreePorts.pick());
        }
        String clusterId = Uuid.randomUuid().toString();
        Path dir = launcher.work().resolve("cluster");
        ServerProcess[] nodes = new ServerProcess[LocalKafkaCluster.NODES];
        // A node serves only once a quorum of them runs: launch all three, then wait for each.
        for (int n = 1; n <= LocalKafkaCluster.NODES; n++) {
            nodes[n - 1] = launcher.clusterNode(dir, n, ports, controllerPorts, clusterId);
        }
        for (ServerProcess node : nodes) {
            launcher.awaitBroker(node);
        }
        String bootstrap = ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
        int httpPort = FreePorts.pick();
        CardApi api = new CardApi("http://127.0.0.1:" + httpPort, launcher.secret());
        launcher.application("instance", bootstrap, httpPort, launcher.work().resolve("instance"), api,
                "--pawkit.kafka.replication-factor=" + LocalKafkaCluster.NODES);
        out.printf("scenario broker-loss: %d users x %d clients x %d+ writes on three brokers (RF 3, min ISR %d),"
                + " one killed (kill -9) for %d s%n", size.users(), size.clientsPerUser(), size.writesPerClient(),
                LocalKafkaCluster.MIN_INSYNC_REPLICAS, outage.toSeconds());

        long start = System.nanoTime();
        History history = UnderFault.run(List.of(api), "broker-loss", size, Duration.ofMillis(20), warmUp, () -> {
            int node = busiestLeader(bootstrap);
            nodes[node - 1].kill();
            out.printf("  %s: killed broker node %d (kill -9), the leader of the most command partitions%n",
                    UnderFault.since(start), node);
            Thread.sleep(outage.toMillis());
            nodes[node - 1] = launcher.clusterNode(dir, node, ports, controllerPorts, clusterId);
            launcher.awaitBroker(nodes[node - 1]);
            out.printf("  %s: broker node %d serves again%n", UnderFault.since(start), node);
        }, out);
        return Scenario.audit(history, bootstrap, api, launcher);
    }

    /** The node (1 to 3) leading the most partitions of the command topic: losing it moves the most leaders. */
    private static int busiestLeader(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.describeTopics(List.of(PawkitTopics.CARD_COMMANDS)).allTopicNames().get(60, TimeUnit.SECONDS)
                    .get(PawkitTopics.CARD_COMMANDS).partitions().stream()
                    .collect(Collectors.groupingBy(p -> p.leader().id(), Collectors.counting()))
                    .entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        }
    }
}
