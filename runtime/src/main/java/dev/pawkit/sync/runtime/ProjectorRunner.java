package dev.pawkit.sync.runtime;

import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.projector.CardProjector;
import dev.pawkit.sync.projector.ProjectorConfig;
import dev.pawkit.sync.projector.ProjectorReads;
import dev.pawkit.sync.schemas.PawkitSerdes;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Starts the projector in this process once the web server listens: the projector advertises this
 * instance's real host:port so peers can route reads here, and the port is known only then.
 */
@Component
public class ProjectorRunner implements ApplicationListener<WebServerInitializedEvent>, DisposableBean {

    private final PawkitProperties properties;
    private final ProjectorIdentity identity;
    private final String serverAddress;
    private final KafkaMeters meters;
    private final KafkaClientSettings kafka;
    private final PawkitSerdes serdes;
    private volatile CardProjector projector;
    private AutoCloseable projectorMeters;

    ProjectorRunner(PawkitProperties properties, ProjectorIdentity identity,
            @Value("${server.address:127.0.0.1}") String serverAddress, Admin topicsReady, KafkaMeters meters, KafkaClientSettings kafka,
            PawkitSerdes serdes) {
        this.properties = properties;
        this.serdes = serdes;
        this.kafka = kafka;
        this.identity = identity;
        this.serverAddress = serverAddress;
        this.meters = meters;
    }

    @Override
    public synchronized void onApplicationEvent(WebServerInitializedEvent event) {
        if (projector != null) {
            return;
        }
        String host = properties.projector().advertisedHost() != null
                ? properties.projector().advertisedHost() : serverAddress;
        CardProjector started = new CardProjector(new ProjectorConfig(
                kafka,
                identity.applicationId(),
                properties.dataDir().resolve("streams"),
                host + ":" + event.getWebServer().getPort(),
                properties.kafka().partitions(),
                properties.kafka().replicationFactor(),
                properties.kafka().standbyReplicas(),
                properties.projector().commitInterval(),
                properties.idempotency().ttl(),
                properties.idempotency().purgeInterval(),
                properties.projector().rocksdbOffHeap().toBytes()), serdes);
        started.start();
        projectorMeters = meters.bind(started.kafkaStreams(), "projector");
        projector = started;
    }

    /** The running projector's reads; not queryable until it has started. */
    public ProjectorReads reads() {
        CardProjector current = projector;
        if (current == null) {
            throw new ProjectorReads.NotQueryableException("the projector has not started yet", null);
        }
        return current.reads();
    }

    public boolean isRunning() {
        CardProjector current = projector;
        return current != null && current.isRunning();
    }

    public String state() {
        CardProjector current = projector;
        return current == null ? "NOT_STARTED" : current.state().name();
    }

    @Override
    public synchronized void destroy() {
        CardProjector current = projector;
        if (current != null) {
            KafkaMeters.unbind(projectorMeters);
            current.close();
        }
    }
}
