package dev.pawkit.sync.testsupport;

import dev.pawkit.sync.infra.FreePorts;
import dev.pawkit.sync.infra.LocalKafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node KRaft broker in this JVM whose client listener asks for SASL SCRAM-SHA-256, as a
 * managed cluster does: a client without the right user and password cannot use it. The user is
 * written into the cluster metadata when the log is formatted ({@code kafka-storage format
 * --add-scram}), so it exists before any client connects. Brokers talk among themselves and to the
 * controller in plaintext on listeners of their own, never advertised to clients.
 */
public final class ScramBroker implements AutoCloseable {

    public static final String MECHANISM = "SCRAM-SHA-256";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path logDir;

    private ScramBroker(KafkaRaftServer server, String bootstrapServers, Path logDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.logDir = logDir;
    }

    /** Starts a broker that knows one user, {@code user} with {@code password}. */
    public static ScramBroker start(String user, String password) {
        try {
            Path logDir = Files.createTempDirectory("pawkit-scram-broker");
            int clientPort = FreePorts.pick();
            int internalPort = FreePorts.pick();
            int controllerPort = FreePorts.pick();
            Properties config = config(logDir, clientPort, internalPort, controllerPort);
            Path configFile = logDir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(configFile)) {
                config.store(out, "ScramBroker");
            }
            format(configFile, user, password);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
            server.startup();
            return new ScramBroker(server, "127.0.0.1:" + clientPort, logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SASL listener: the only one clients are given. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Kafka client settings that log in as {@code user} with {@code password}. */
    public Map<String, Object> clientSettings(String user, String password) {
        return Map.of(
                "bootstrap.servers", bootstrapServers,
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", jaasConfig(user, password));
    }

    public static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        try (var files = Files.walk(logDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is no failure of the test.
        }
    }

    private static Properties config(Path logDir, int clientPort, int internalPort, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "CLIENTS://127.0.0.1:" + clientPort + ",INTERNAL://127.0.0.1:" + internalPort
                + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "CLIENTS://127.0.0.1:" + clientPort + ",INTERNAL://127.0.0.1:" + internalPort);
        p.setProperty("listener.security.protocol.map", "CLIENTS:SASL_PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "INTERNAL");
        p.setProperty("sasl.enabled.mechanisms", MECHANISM);
        // The broker side of SCRAM needs a login module, without credentials of its own: it checks the
        // users stored in the cluster metadata.
        p.setProperty("listener.name.clients.scram-sha-256.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.setProperty("log.dirs", logDir.toAbsolutePath().toString());
        LocalKafkaBroker.oneReplicaOfEverything(p);
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "false");
        return p;
    }

    private static void format(Path configFile, String user, String password) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(),
                "-c", configFile.toString(),
                "--add-scram", MECHANISM + "=[name=" + user + ",password=" + password + "]"},
                new PrintStream(output, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IllegalStateException("formatting the broker log failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

}
