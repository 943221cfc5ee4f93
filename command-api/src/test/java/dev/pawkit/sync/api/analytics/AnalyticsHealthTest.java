package dev.pawkit.sync.api.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.ApiIntegrationTest;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.schemas.sealing.UserKeys;
import dev.pawkit.sync.runtime.AnalyticsRunner;
import dev.pawkit.sync.runtime.KafkaMeters;
import dev.pawkit.sync.runtime.PawkitProperties;
import dev.pawkit.sync.runtime.RuntimeParts;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Analytics' health follows its Kafka Streams client: UP while it is RUNNING (the context's own
 * analytics), DOWN, with the state, while it is not (a runner that never started: what an operator
 * sees while it starts or after it failed to).
 */
class AnalyticsHealthTest extends ApiIntegrationTest {

    private static final Duration SETTLE = Duration.ofSeconds(30);

    @Autowired
    AnalyticsRunner analytics;
    @Autowired
    PawkitProperties properties;
    @Autowired
    Admin admin;
    @Autowired
    KafkaMeters meters;
    @Autowired
    KafkaClientSettings kafka;
    @Autowired
    UserKeys keys;

    @Test
    void upWhileItsStreamsClientIsRunning() throws Exception {
        HealthIndicator health = RuntimeParts.health(analytics);
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!analytics.state().equals("RUNNING")) {
            assertThat(System.nanoTime()).as("analytics RUNNING in time: %s", analytics.state()).isLessThan(deadline);
            Thread.sleep(50);
        }

        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void downWithItsStateWhileItsStreamsClientIsNotRunning() {
        AnalyticsRunner notStarted = RuntimeParts.analyticsRunner(properties, admin, meters, kafka, keys);
        assertThat(notStarted.enabled()).as("on in this context").isTrue();

        Health health = RuntimeParts.health(notStarted).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("state", "NOT_STARTED");
    }
}
