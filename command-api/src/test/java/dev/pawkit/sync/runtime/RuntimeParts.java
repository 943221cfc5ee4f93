package dev.pawkit.sync.runtime;

import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.sealing.UserKeys;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Runtime's package-private parts, built by hand for tests in the API's packages (where the shared
 * application context is found): a runner of a test's own beside the context's, and the health
 * indicator and meters an operator would read of it.
 */
public final class RuntimeParts {

    private RuntimeParts() {
    }

    /** A runner as the application builds it; not started. */
    public static EnricherRunner enricherRunner(PawkitProperties properties, Admin admin, KafkaClientSettings kafka,
            PawkitSerdes serdes, KafkaMeters meters) {
        return new EnricherRunner(properties, admin, kafka, serdes, meters);
    }

    /** Starts it as the application does once its web server listens. */
    public static void start(EnricherRunner runner) {
        runner.start();
    }

    public static AnalyticsRunner analyticsRunner(PawkitProperties properties, Admin admin, KafkaMeters meters,
            KafkaClientSettings kafka, UserKeys keys) {
        return new AnalyticsRunner(properties, "127.0.0.1", admin, meters, kafka, keys);
    }

    public static HealthIndicator health(EnricherRunner runner) {
        return new EnricherHealthIndicator(runner);
    }

    public static HealthIndicator health(AnalyticsRunner runner) {
        return new AnalyticsHealthIndicator(runner);
    }

    /** The pipeline's meters of this enricher alone (no projector, no analytics in it). */
    public static MeterBinder pipelineMeters(EnricherRunner enricher) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("enricher", enricher);
        return new PipelineMeters(beans.getBeanProvider(ProjectorRunner.class),
                beans.getBeanProvider(AnalyticsRunner.class), beans.getBeanProvider(EnricherRunner.class));
    }
}
