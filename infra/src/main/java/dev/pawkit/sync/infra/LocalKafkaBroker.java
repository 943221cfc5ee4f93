package dev.pawkit.sync.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft, broker and controller in one) inside this JVM, for the local
 * stack. Its log lives under a directory of ours: formatted on first start, reused afterwards, so
 * a restart keeps every topic, offset and transaction. The same code paths as {@code kafka.Kafka}
 * (storage format, then {@link KafkaRaftServer}), without a separate download.
 *
 * <p>A single broker is the last replica of everything: a crash of this process loses nothing the
 * broker acknowledged (the OS page cache survives it), a power loss can. Production runs three
 * brokers with replication factor 3 and {@code min.insync.replicas=2}.
 */
public final class LocalKafkaBroker implements LocalKafka {

    private static final Logger log = LoggerFactory.getLogger(LocalKafkaBroker.class);
    private static final String NODE_ID = "1";

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private LocalKafkaBroker(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts the broker on 127.0.0.1:{@code port}, formatting {@code logDir} first if it holds no log yet.
     * Returns once the broker accepts connections.
     */
    public static LocalKafkaBroker start(Path logDir, int port) throws IOException {
        return start(logDir, port, port);
    }

    /**
     * As {@link #start(Path, int)}, but telling clients to connect on {@code advertisedPort}
     * instead: a fault-injecting proxy there (the reliability check's tcp-proxy scenario) then
     * carries every client connection, including the ones that follow metadata.
     */
    public static LocalKafkaBroker start(Path logDir, int port, int advertisedPort) throws IOException {
        Files.createDirectories(logDir);
        // The quorum is this one node and lives in the config only (static voters), so the
        // controller port may differ between runs: take any free one.
        int controllerPort = FreePorts.pick();
        Properties config = config(logDir, port, controllerPort);
        config.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + advertisedPort);
        Path configFile = logDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            config.store(out, "written by LocalKafkaBroker at every start");
        }
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(configFile);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        server.startup();
        String bootstrap = "127.0.0.1:" + port;
        log.info("local Kafka broker up on {} (log in {})", bootstrap, logDir);
        return new LocalKafkaBroker(server, bootstrap);
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** A controlled shutdown: leaders moved, logs flushed and closed cleanly. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    static Properties config(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", NODE_ID);
        p.setProperty("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        plaintextListeners(p, port, controllerPort);
        p.setProperty("log.dirs", logDir.toAbsolutePath().toString());
        oneReplicaOfEverything(p);
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // Topics are created on purpose, with their configuration (PawkitTopics), never by a typo.
        p.setProperty("auto.create.topics.enable", "false");
        return p;
    }

    /** Clients on {@code port}, the KRaft quorum on {@code controllerPort}, both plaintext on loopback. */
    static void plaintextListeners(Properties p, int port, int controllerPort) {
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    }

    /**
     * One broker: every internal topic has one replica, or transactions (exactly-once) and
     * consumer groups wait forever for replicas that will never exist.
     */
    public static void oneReplicaOfEverything(Properties p) {
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
    }

    private static void format(Path configFile) {
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", configFile.toString()},
                new PrintStream(output, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IllegalStateException("formatting the broker log failed: " + output.toString(StandardCharsets.UTF_8));
        }
        log.info("formatted a new broker log, cluster id {}", clusterId);
    }

}
