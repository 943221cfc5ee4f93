package dev.pawkit.sync.runtime;

import dev.pawkit.sync.enricher.EnricherConfig;
import dev.pawkit.sync.enricher.MetadataEnricher;
import dev.pawkit.sync.enricher.fetch.FetchPolicy;
import dev.pawkit.sync.enricher.fetch.FetchSettings;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.schemas.PawkitSerdes;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Runs the metadata enricher in this process once the web server listens, beside the projector
 * whose commands it feeds; stops it on shutdown (answers in flight are abandoned uncommitted and
 * fetched again by the next instance of the group). {@code pawkit.enricher.enabled=false} turns it off.
 */
@Component
public class EnricherRunner implements ApplicationListener<WebServerInitializedEvent>, DisposableBean {

    /** The bound, not a setting: more redirects than this is a broken or hostile chain. */
    private static final int MAX_REDIRECTS = 5;

    private final PawkitProperties properties;
    private final KafkaClientSettings kafka;
    private final PawkitSerdes serdes;
    private final KafkaMeters meters;
    private volatile MetadataEnricher enricher;
    private final List<AutoCloseable> clientMeters = new ArrayList<>();

    EnricherRunner(PawkitProperties properties, Admin topicsReady, KafkaClientSettings kafka, PawkitSerdes serdes,
            KafkaMeters meters) {
        this.properties = properties;
        this.kafka = kafka;
        this.serdes = serdes;
        this.meters = meters;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        start();
    }

    /** Starts it unless it is turned off or already runs (a test starts a runner of its own this way). */
    synchronized void start() {
        if (enricher != null || !properties.enricher().enabled()) {
            return;
        }
        MetadataEnricher started = MetadataEnricher.create(config(properties, kafka), serdes);
        clientMeters.add(meters.bind(started.kafkaConsumer(), "enricher-consumer"));
        clientMeters.add(meters.bind(started.kafkaProducer(), "enricher-producer"));
        enricher = started.start();
    }

    public static EnricherConfig config(PawkitProperties properties, KafkaClientSettings kafka) {
        PawkitProperties.Enricher enricher = properties.enricher();
        return new EnricherConfig(
                kafka,
                enricher.groupId(),
                properties.kafka().partitions(),
                enricher.startFrom(),
                enricher.concurrency(),
                enricher.hostConcurrency(),
                enricher.hostPause(),
                enricher.maxUnanswered(),
                enricher.commitInterval(),
                FetchPolicy.of(enricher.allowList(), enricher.defaultPortsOnly()),
                new FetchSettings(enricher.connectTimeout(), enricher.readTimeout(), enricher.maxBytes().toBytes(),
                        MAX_REDIRECTS, enricher.retries(), enricher.backoffBase(), enricher.backoffMax(),
                        enricher.retryAfterCap(), FetchSettings.USER_AGENT));
    }

    public boolean enabled() {
        return properties.enricher().enabled();
    }

    /** True while the enricher runs here: false when disabled, before the server listens, or after it stopped. */
    public boolean isRunning() {
        MetadataEnricher current = enricher;
        return current != null && current.isRunning();
    }

    /** Pages fetched with metadata here since start (0 while it does not run). */
    public long fetchedCount() {
        MetadataEnricher current = enricher;
        return current == null ? 0 : current.fetchedCount();
    }

    /** Pages that ended without metadata here since start. */
    public long failedCount() {
        MetadataEnricher current = enricher;
        return current == null ? 0 : current.failedCount();
    }

    @Override
    public synchronized void destroy() {
        clientMeters.forEach(KafkaMeters::unbind);
        clientMeters.clear();
        MetadataEnricher current = enricher;
        if (current != null) {
            current.close();
        }
    }
}
