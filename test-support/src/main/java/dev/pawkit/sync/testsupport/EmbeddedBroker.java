package dev.pawkit.sync.testsupport;

import dev.pawkit.sync.infra.FreePorts;
import dev.pawkit.sync.infra.LocalKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.util.FileSystemUtils;

/**
 * A real KRaft broker in this JVM for a test: the local stack's own {@link LocalKafkaBroker} (one
 * node, every internal topic at one replica, no delay before a group's first rebalance, topics
 * created only on purpose) on a fresh log in a temporary directory, removed when it is closed.
 *
 * <p>Why not spring-kafka-test's {@code EmbeddedKafkaKraftBroker}: it is built on Kafka's test kit
 * and breaks with each Kafka release that moves an internal class (4.4 moved
 * {@code Exit$Procedure}), which held the project on an older Kafka. This broker runs the
 * same code paths as {@code kafka.Kafka} and as the local stack, so tests meet the broker users
 * run.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private final LocalKafkaBroker broker;
    private final Path logDir;

    private EmbeddedBroker(LocalKafkaBroker broker, Path logDir) {
        this.broker = broker;
        this.logDir = logDir;
    }

    /** A started broker on a free port; close it when done. */
    public static EmbeddedBroker start() {
        try {
            Path logDir = Files.createTempDirectory("pawkit-test-broker");
            return new EmbeddedBroker(LocalKafkaBroker.start(logDir, FreePorts.pick()), logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where clients connect: {@code 127.0.0.1:port}. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** A controlled shutdown, then its log is deleted. */
    @Override
    public void close() {
        broker.close();
        try {
            FileSystemUtils.deleteRecursively(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
