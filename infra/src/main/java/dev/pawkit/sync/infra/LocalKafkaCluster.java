package dev.pawkit.sync.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three real Kafka nodes (KRaft, each broker and controller) inside this JVM: the production shape
 * (replication factor 3, {@code min.insync.replicas=2}) on one machine, for the local stack's
 * {@code cluster} mode and for tests that lose a broker. Node {@code N} keeps its log under
 * {@code <dir>/broker-N} and listens on its own port; the three are formatted once with one
 * cluster id and reused afterwards, like {@link LocalKafkaBroker}.
 *
 * <p>The quorum is static (all three voters in every node's config): any two of them elect a
 * controller, so one node can stop and the cluster keeps accepting writes.
 */
public final class LocalKafkaCluster implements LocalKafka {

    public static final int NODES = 3;
    /** A write is acknowledged once two replicas hold it: one node may be lost, the write is not. */
    public static final int MIN_INSYNC_REPLICAS = 2;

    private static final Logger log = LoggerFactory.getLogger(LocalKafkaCluster.class);
    /** A node's start blocks until a quorum exists, which takes the others: bounded all the same. */
    private static final long START_TIMEOUT_SECONDS = 120;

    private final List<KafkaRaftServer> servers;
    private final List<Integer> ports;
    private final boolean[] stopped = new boolean[NODES];

    private LocalKafkaCluster(List<KafkaRaftServer> servers, List<Integer> ports) {
        this.servers = servers;
        this.ports = ports;
    }

    /**
     * Starts three nodes under {@code dir} (node N in {@code broker-N}) on 127.0.0.1, broker ports
     * {@code ports} (one each), formatting the logs first if they hold none yet. Returns once all
     * three serve.
     */
    public static LocalKafkaCluster start(Path dir, List<Integer> ports) throws IOException {
        if (ports.size() != NODES) {
            throw new IllegalArgumentException("a cluster has " + NODES + " broker ports, got " + ports);
        }
        // Static voters live in the config only, so the controller ports may change between runs
        // as long as all three nodes agree: take free ones.
        List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            controllerPorts.add(FreePorts.pick());
        }
        String voters = voters(controllerPorts);
        List<Properties> configs = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            Path logDir = logDir(dir, i + 1);
            Files.createDirectories(logDir);
            Properties config = config(i + 1, logDir, ports.get(i), controllerPorts.get(i), voters);
            try (OutputStream out = Files.newOutputStream(logDir.resolve("server.properties"))) {
                config.store(out, "written by LocalKafkaCluster at every start");
            }
            configs.add(config);
        }
        formatMissing(dir);

        // Each node's start waits for a quorum of controllers, hence for the others: start them together.
        List<CompletableFuture<KafkaRaftServer>> starting = new ArrayList<>();
        for (Properties config : configs) {
            starting.add(CompletableFuture.supplyAsync(() -> {
                KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
                server.startup();
                return server;
            }, threadPerNode()));
        }
        List<KafkaRaftServer> servers = new ArrayList<>();
        try {
            for (CompletableFuture<KafkaRaftServer> node : starting) {
                servers.add(node.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            starting.forEach(node -> node.thenAccept(LocalKafkaCluster::shutdown));
            throw new IllegalStateException("the three Kafka nodes did not start within "
                    + START_TIMEOUT_SECONDS + " s", e);
        }
        LocalKafkaCluster cluster = new LocalKafkaCluster(servers, List.copyOf(ports));
        log.info("local Kafka cluster up on {} (logs in {})", cluster.bootstrapServers(), dir);
        return cluster;
    }

    /**
     * Starts node {@code node} (1 to 3) of a three-node cluster alone in this JVM, for a cluster
     * whose nodes run in processes of their own (the reliability check kills one with kill -9).
     * Every node must be given the same broker {@code ports}, {@code controllerPorts} (fixed, as
     * the static quorum names them) and {@code clusterId}; the node's log goes under
     * {@code <dir>/broker-N}, formatted with that id if it holds none yet. Blocks until a quorum
     * exists, so start the other nodes at the same time.
     */
    public static LocalKafka startNode(Path dir, int node, List<Integer> ports, List<Integer> controllerPorts,
            String clusterId) throws IOException {
        if (ports.size() != NODES || controllerPorts.size() != NODES) {
            throw new IllegalArgumentException("a cluster has " + NODES + " broker and controller ports, got " + ports
                    + " and " + controllerPorts);
        }
        Path logDir = logDir(dir, node);
        Files.createDirectories(logDir);
        Properties config = config(node, logDir, ports.get(node - 1), controllerPorts.get(node - 1),
                voters(controllerPorts));
        Path configFile = logDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            config.store(out, "written by LocalKafkaCluster.startNode at every start");
        }
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(node, configFile, clusterId);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        server.startup();
        String bootstrap = "127.0.0.1:" + ports.get(node - 1);
        log.info("Kafka node {} of a three-node cluster up on {} (log in {})", node, bootstrap, logDir);
        return new LocalKafka() {
            @Override
            public String bootstrapServers() {
                return bootstrap;
            }

            @Override
            public void close() {
                shutdown(server);
            }
        };
    }

    /** All three brokers: a client finds the cluster through any one that is up. */
    @Override
    public String bootstrapServers() {
        return ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    /** Node N's broker address ({@code node} from 1 to 3). */
    public String bootstrapServer(int node) {
        return "127.0.0.1:" + ports.get(node - 1);
    }

    /** Stops node N ({@code node} from 1 to 3) with a controlled shutdown; the other two carry on. */
    public synchronized void stop(int node) {
        if (!stopped[node - 1]) {
            stopped[node - 1] = true;
            shutdown(servers.get(node - 1));
            log.info("stopped Kafka node {}", node);
        }
    }

    /**
     * Stops every node still running, all at once: a node's broker asks the controller quorum for
     * a controlled shutdown, and one by one the last node would find no quorum left to ask.
     */
    @Override
    public synchronized void close() {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (int node = 1; node <= NODES; node++) {
            if (!stopped[node - 1]) {
                stopped[node - 1] = true;
                KafkaRaftServer server = servers.get(node - 1);
                stopping.add(CompletableFuture.runAsync(() -> shutdown(server), threadPerNode()));
            }
        }
        try {
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.error("the Kafka nodes did not all stop cleanly", e);
        }
        log.info("local Kafka cluster stopped");
    }

    static Properties config(int nodeId, Path logDir, int port, int controllerPort, String voters) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", String.valueOf(nodeId));
        p.setProperty("controller.quorum.voters", voters);
        LocalKafkaBroker.plaintextListeners(p, port, controllerPort);
        p.setProperty("log.dirs", logDir.toAbsolutePath().toString());
        // The production shape: three copies of everything, a write needs two of them, so losing
        // one node loses nothing acknowledged and writes go on.
        p.setProperty("default.replication.factor", String.valueOf(NODES));
        p.setProperty("min.insync.replicas", String.valueOf(MIN_INSYNC_REPLICAS));
        p.setProperty("offsets.topic.replication.factor", String.valueOf(NODES));
        p.setProperty("transaction.state.log.replication.factor", String.valueOf(NODES));
        p.setProperty("transaction.state.log.min.isr", String.valueOf(MIN_INSYNC_REPLICAS));
        p.setProperty("share.coordinator.state.topic.replication.factor", String.valueOf(NODES));
        p.setProperty("share.coordinator.state.topic.min.isr", String.valueOf(MIN_INSYNC_REPLICAS));
        // Never elect a replica that missed acknowledged writes, even to regain availability.
        p.setProperty("unclean.leader.election.enable", "false");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // Topics are created on purpose, with their configuration (PawkitTopics), never by a typo.
        p.setProperty("auto.create.topics.enable", "false");
        // Three brokers share one JVM's heap, and each one's log cleaner allocates its dedupe buffer
        // (128 MB by default) as the broker starts: on Kafka 4.4 that ran a 512 MB heap out of memory.
        // 32 MB maps about 1.4 million keys per cleaning pass; more keys take more passes.
        p.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(32L << 20));
        return p;
    }

    private static String voters(List<Integer> controllerPorts) {
        List<String> voters = new ArrayList<>();
        for (int i = 0; i < controllerPorts.size(); i++) {
            voters.add((i + 1) + "@127.0.0.1:" + controllerPorts.get(i));
        }
        return String.join(",", voters);
    }

    private static Path logDir(Path dir, int node) {
        return dir.resolve("broker-" + node);
    }

    /**
     * Formats the nodes whose log is not formatted yet, all with one cluster id: the one an
     * already formatted node holds (a node added after a partial first start joins its cluster),
     * else a new one.
     */
    private static void formatMissing(Path dir) throws IOException {
        String clusterId = null;
        for (int node = 1; node <= NODES && clusterId == null; node++) {
            clusterId = clusterIdOf(logDir(dir, node)).orElse(null);
        }
        if (clusterId == null) {
            clusterId = Uuid.randomUuid().toString();
            log.info("formatting a new three-node cluster, cluster id {}", clusterId);
        }
        for (int node = 1; node <= NODES; node++) {
            Path logDir = logDir(dir, node);
            if (Files.exists(logDir.resolve("meta.properties"))) {
                continue;
            }
            format(node, logDir.resolve("server.properties"), clusterId);
        }
    }

    private static void format(int node, Path configFile, String clusterId) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", configFile.toString()},
                new PrintStream(output, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IllegalStateException("formatting the log of node " + node + " failed: "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    private static Optional<String> clusterIdOf(Path logDir) throws IOException {
        Path meta = logDir.resolve("meta.properties");
        if (!Files.exists(meta)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            properties.load(in);
        }
        return Optional.ofNullable(properties.getProperty("cluster.id"));
    }

    /**
     * A thread of its own for each node's start or stop: they wait on one another, so they cannot
     * share the common pool (one thread on a two-core machine).
     */
    private static Executor threadPerNode() {
        return task -> {
            Thread thread = new Thread(task, "local-kafka-cluster-node");
            thread.setDaemon(true);
            thread.start();
        };
    }

    private static void shutdown(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

}
