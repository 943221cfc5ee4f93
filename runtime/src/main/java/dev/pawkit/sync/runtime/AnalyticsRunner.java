package dev.pawkit.sync.runtime;

import dev.pawkit.sync.analytics.AnalyticsConfig;
import dev.pawkit.sync.analytics.AnalyticsLag;
import dev.pawkit.sync.analytics.AnalyticsReads;
import dev.pawkit.sync.analytics.AnalyticsReset;
import dev.pawkit.sync.analytics.CardAnalytics;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.schemas.sealing.UserKeys;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Starts analytics in this process once the web server listens (like the projector, it advertises
 * this instance's host:port for routed reads), closes it on shutdown, and resets it on an
 * operator's request: stop, drop every number, count the event log again from its first event.
 */
@Component
public class AnalyticsRunner implements ApplicationListener<WebServerInitializedEvent>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsRunner.class);

    private final PawkitProperties properties;
    private final String serverAddress;
    private final Admin admin;
    private final AnalyticsLag lag;
    private final KafkaMeters meters;
    private final KafkaClientSettings kafka;
    private final UserKeys keys;
    private volatile CardAnalytics analytics;
    private AutoCloseable analyticsMeters;
    private volatile String applicationServer;
    private volatile boolean resetting;

    AnalyticsRunner(PawkitProperties properties, @Value("${server.address:127.0.0.1}") String serverAddress,
            Admin topicsReady, KafkaMeters meters, KafkaClientSettings kafka, UserKeys keys) {
        this.properties = properties;
        this.keys = keys;
        this.kafka = kafka;
        this.meters = meters;
        this.serverAddress = serverAddress;
        this.admin = topicsReady;
        this.lag = new AnalyticsLag(topicsReady, properties.analytics().applicationId(),
                properties.kafka().partitions());
    }

    @Override
    public synchronized void onApplicationEvent(WebServerInitializedEvent event) {
        if (analytics != null || !properties.analytics().enabled()) {
            return;
        }
        String host = properties.projector().advertisedHost() != null
                ? properties.projector().advertisedHost() : serverAddress;
        applicationServer = host + ":" + event.getWebServer().getPort();
        analytics = started();
    }

    /** The running analytics' reads; not queryable while it is disabled, starting or being reset. */
    public AnalyticsReads reads() {
        CardAnalytics current = analytics;
        if (current == null) {
            throw new AnalyticsReads.NotQueryableException(!properties.analytics().enabled()
                    ? "analytics does not run on this instance (pawkit.analytics.enabled=false)"
                    : resetting ? "analytics is being reset" : "analytics has not started yet", null);
        }
        return current.reads();
    }

    public AnalyticsLag lag() {
        return lag;
    }

    /** True when it runs here and its Streams client is RUNNING. */
    public boolean isRunning() {
        CardAnalytics current = analytics;
        return current != null && current.isRunning();
    }

    public boolean enabled() {
        return properties.analytics().enabled();
    }

    public String state() {
        CardAnalytics current = analytics;
        return current == null ? (resetting ? "RESETTING" : "NOT_STARTED") : current.state().name();
    }

    /**
     * Stops analytics, drops its state (local stores, changelogs, repartition topic, consumer group)
     * and starts it again from the event log's first event. Returns once it runs again; the numbers
     * come back as it catches up (lag). Refused while other instances run analytics.
     */
    public synchronized void reset() throws Exception {
        CardAnalytics current = analytics;
        if (current == null) {
            throw new AnalyticsReads.NotQueryableException("analytics does not run on this instance", null);
        }
        AnalyticsReset.checkAlone(admin, current);
        log.info("analytics reset: stopping {} and dropping its state", current.config().applicationId());
        resetting = true;
        analytics = null;
        KafkaMeters.unbind(analyticsMeters);
        try {
            AnalyticsReset.dropAll(admin, current);
        } finally {
            // Running again either way: after a failed drop, so that the operator can reset again.
            analytics = started();
            resetting = false;
        }
        log.info("analytics reset: counting the event log again from its first event");
    }

    private CardAnalytics started() {
        CardAnalytics started = new CardAnalytics(new AnalyticsConfig(
                kafka,
                properties.analytics().applicationId(),
                properties.dataDir().resolve("streams"),
                applicationServer,
                properties.kafka().partitions(),
                properties.kafka().replicationFactor(),
                properties.kafka().standbyReplicas(),
                properties.analytics().commitInterval(),
                properties.analytics().rocksdbOffHeap().toBytes()), keys);
        started.start();
        analyticsMeters = meters.bind(started.kafkaStreams(), "analytics");
        return started;
    }

    @Override
    public synchronized void destroy() {
        CardAnalytics current = analytics;
        analytics = null;
        if (current != null) {
            KafkaMeters.unbind(analyticsMeters);
            current.close();
        }
    }
}
