package dev.pawkit.sync.runtime;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What runs beside the HTTP layer, as meters: whether the projector and analytics run
 * ({@code pawkit.streams.running}), the enricher's fetch outcomes ({@code pawkit.enricher.fetches})
 * and how far analytics is behind the event log ({@code pawkit.analytics.lag}).
 *
 * <p>The lag is three broker round trips, so a scrape never waits for it: a scrape reads the last
 * value and, when it is older than {@link #LAG_MAX_AGE_NANOS}, asks for a new one in the background.
 * A scrape during a broker outage therefore answers at once (NaN once a read failed: unknown, not 0).
 */
@Component
class PipelineMeters implements MeterBinder, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PipelineMeters.class);
    private static final long LAG_MAX_AGE_NANOS = 5_000_000_000L;

    private final ProjectorRunner projector;
    private final AnalyticsRunner analytics;
    private final EnricherRunner enricher;
    private final ExecutorService lagReader = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "pawkit-analytics-lag-meter");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile double lastLag = Double.NaN;
    private volatile long lagReadAt = System.nanoTime() - 2 * LAG_MAX_AGE_NANOS;

    /** Each part where this process runs it: the analytics process has no projector and no enricher. */
    PipelineMeters(ObjectProvider<ProjectorRunner> projector, ObjectProvider<AnalyticsRunner> analytics,
            ObjectProvider<EnricherRunner> enricher) {
        this.projector = projector.getIfAvailable();
        this.analytics = analytics.getIfAvailable();
        this.enricher = enricher.getIfAvailable();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (projector != null) {
            Gauge.builder("pawkit.streams.running", projector, p -> p.isRunning() ? 1 : 0)
                    .tag("application", "projector")
                    .description("1 while the projector's Kafka Streams client is RUNNING (0: starting, rebalancing, failed)")
                    .register(registry);
        }
        if (enricher != null) {
            FunctionCounter.builder("pawkit.enricher.fetches", enricher, EnricherRunner::fetchedCount)
                    .tag("outcome", "fetched").description("url cards' pages fetched with metadata")
                    .register(registry);
            FunctionCounter.builder("pawkit.enricher.fetches", enricher, EnricherRunner::failedCount)
                    .tag("outcome", "failed").description("url cards' pages that ended without metadata, after retries")
                    .register(registry);
        }
        if (analytics != null && analytics.enabled()) {
            Gauge.builder("pawkit.streams.running", analytics, a -> a.isRunning() ? 1 : 0)
                    .tag("application", "analytics")
                    .description("1 while analytics' Kafka Streams client is RUNNING")
                    .register(registry);
            Gauge.builder("pawkit.analytics.lag", this, PipelineMeters::analyticsLag)
                    .description("event-log offsets not yet counted in the global numbers (refreshed every 5 s)")
                    .register(registry);
        }
    }

    /** The last lag read (NaN before the first), and a new read started when it is stale. */
    private double analyticsLag() {
        if (System.nanoTime() - lagReadAt > LAG_MAX_AGE_NANOS && reading.compareAndSet(false, true)) {
            lagReader.execute(() -> {
                try {
                    lastLag = analytics.lag().global();
                } catch (RuntimeException e) {
                    // Unknown is not zero: the broker did not answer, the numbers may be behind.
                    lastLag = Double.NaN;
                    log.debug("analytics lag not read: {}", e.toString());
                } finally {
                    lagReadAt = System.nanoTime();
                    reading.set(false);
                }
            });
        }
        return lastLag;
    }

    @Override
    public void destroy() {
        lagReader.shutdownNow();
    }
}
