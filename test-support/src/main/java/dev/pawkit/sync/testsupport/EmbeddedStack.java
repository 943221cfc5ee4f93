package dev.pawkit.sync.testsupport;

import java.net.URI;
import java.util.Map;

/**
 * The real server in this JVM, for tests that do not run on Spring's test context (the client's):
 * a KRaft broker ({@link EmbeddedBroker}) and the application on it ({@link EmbeddedApplication}),
 * ready when {@link #start} returns. Start it once
 * and share it: a broker and an application take seconds to start, and tests isolate themselves
 * by user. Closing stops the application first, then the broker it writes to.
 */
public final class EmbeddedStack implements AutoCloseable {

    private final EmbeddedBroker broker;
    private final EmbeddedApplication application;

    private EmbeddedStack(EmbeddedBroker broker, EmbeddedApplication application) {
        this.broker = broker;
        this.application = application;
    }

    /** A broker, and {@code applicationClass} on it with {@code properties} (see {@link EmbeddedApplication#start}). */
    public static EmbeddedStack start(Class<?> applicationClass, Map<String, String> properties) {
        EmbeddedBroker broker = EmbeddedBroker.start();
        try {
            return new EmbeddedStack(broker,
                    EmbeddedApplication.start(applicationClass, broker.bootstrapServers(), properties));
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    public URI uri() {
        return application.uri();
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public void close() {
        application.close();
        broker.close();
    }
}
