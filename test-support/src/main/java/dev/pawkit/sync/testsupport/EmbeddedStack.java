package dev.pawkit.sync.testsupport;

import java.net.URI;
import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The real server in this JVM, for tests that do not run on Spring's test context (the client's):
 * a KRaft broker ({@link EmbeddedBroker}) and the application on it ({@link EmbeddedApplication}),
 * ready when {@link #start} returns. Start it once
 * and share it: a broker and an application take seconds to start, and tests isolate themselves
 * by user. Closing stops the application first, then the broker it writes to.
 */
public final class EmbeddedStack implements AutoCloseable {

    /** As many as the application's topics have ({@code pawkit.kafka.partitions}). */
    private static final int PARTITIONS = 6;

    private final EmbeddedKafkaKraftBroker broker;
    private final EmbeddedApplication application;

    private EmbeddedStack(EmbeddedKafkaKraftBroker broker, EmbeddedApplication application) {
        this.broker = broker;
        this.application = application;
    }

    /** A broker, and {@code applicationClass} on it with {@code properties} (see {@link EmbeddedApplication#start}). */
    public static EmbeddedStack start(Class<?> applicationClass, Map<String, String> properties) {
        EmbeddedKafkaKraftBroker broker = EmbeddedBroker.start(PARTITIONS);
        try {
            return new EmbeddedStack(broker,
                    EmbeddedApplication.start(applicationClass, broker.getBrokersAsString(), properties));
        } catch (RuntimeException e) {
            broker.destroy();
            throw e;
        }
    }

    public URI uri() {
        return application.uri();
    }

    public String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    @Override
    public void close() {
        application.close();
        broker.destroy();
    }
}
