package dev.pawkit.sync.infra;

/**
 * Kafka run inside this JVM by the local stack: one node ({@link LocalKafkaBroker}) or three
 * ({@link LocalKafkaCluster}). The stack needs only where to connect and how to stop it.
 */
public interface LocalKafka extends AutoCloseable {

    /** Where clients connect: {@code host:port[,host:port...]}. */
    String bootstrapServers();

    /** Stops every node cleanly (logs flushed and closed). */
    @Override
    void close();
}
