package dev.pawkit.sync.bench.reliability;

import dev.pawkit.sync.bench.Options;
import dev.pawkit.sync.infra.LocalKafka;
import dev.pawkit.sync.infra.LocalKafkaBroker;
import dev.pawkit.sync.infra.LocalKafkaCluster;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A Kafka broker in a JVM of its own, so that the reliability check can kill it with kill -9 and
 * start it again on the same port and log: the local stack's broker ({@link LocalKafkaBroker}), or
 * one node of a three-node cluster ({@link LocalKafkaCluster#startNode}). Prints {@link #READY}
 * once it serves; SIGTERM stops it cleanly. Started by {@link Launcher} with the bench classpath:
 *
 * <pre>
 *   BrokerProcess --dir D --port P [--advertised-port A]
 *   BrokerProcess --dir D --node N --ports P1,P2,P3 --controller-ports C1,C2,C3 --cluster-id ID
 * </pre>
 */
public final class BrokerProcess {

    /** The line printed once the broker accepts clients. */
    static final String READY = "broker process ready on ";

    private BrokerProcess() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        Path dir = Path.of(options.get("dir"));
        LocalKafka broker;
        if (options.containsKey("node")) {
            broker = LocalKafkaCluster.startNode(dir, Integer.parseInt(options.get("node")), ports(options.get("ports")),
                    ports(options.get("controller-ports")), options.get("cluster-id"));
        } else {
            int port = Integer.parseInt(options.get("port"));
            broker = LocalKafkaBroker.start(dir, port,
                    Integer.parseInt(options.getOrDefault("advertised-port", Integer.toString(port))));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-process-shutdown"));
        System.out.println(READY + broker.bootstrapServers());
        stopped.await();
    }

    private static List<Integer> ports(String list) {
        return Arrays.stream(list.split(",")).map(Integer::parseInt).toList();
    }
}
