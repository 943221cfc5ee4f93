package dev.pawkit.sync.api.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.Scrape;
import dev.pawkit.sync.enricher.EnricherConfig;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.runtime.EnricherRunner;
import dev.pawkit.sync.runtime.PawkitProperties;
import dev.pawkit.sync.runtime.RuntimeParts;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

/**
 * The enricher as an operator watches it: its health and its fetch outcomes. The shared context
 * runs no enricher, so each test starts an {@link EnricherRunner} of its own as the application
 * builds it (own group, from the log's end, 127.0.0.1 allowed) and reads the health indicator
 * and meters the application would serve of it.
 */
class EnricherHealthAndMetersTest extends EnricherIntegrationTest {

    @Autowired
    PawkitProperties properties;
    @Autowired
    Admin admin;
    @Autowired
    KafkaClientSettings kafka;

    @Test
    void healthIsDownBeforeItStartsUpWhileItRunsAndDownOnceItStopped() {
        EnricherRunner runner = runner(newGroup());
        HealthIndicator health = RuntimeParts.health(runner);
        try {
            assertThat(health.health().getStatus()).as("on, not started yet").isEqualTo(Status.DOWN);

            RuntimeParts.start(runner);
            assertThat(health.health().getStatus()).as("its poll loop runs").isEqualTo(Status.UP);
        } finally {
            runner.destroy();
        }
        assertThat(health.health().getStatus()).as("stopped").isEqualTo(Status.DOWN);
    }

    private static String newGroup() {
        return "pawkit-enricher-watched-" + UUID.randomUUID();
    }

    /** A runner as the application builds it from pawkit.enricher.*: on, test-sized timeouts, no retries. */
    private EnricherRunner runner(String groupId) {
        PawkitProperties.Enricher enricher = new PawkitProperties.Enricher(true, groupId, List.of("127.0.0.1"), false,
                Duration.ofSeconds(1), Duration.ofSeconds(1), DataSize.ofMegabytes(1), 0, Duration.ofMillis(50),
                Duration.ofMillis(200), Duration.ofSeconds(2), 4, 4, Duration.ofSeconds(30), 32,
                Duration.ofMillis(100), EnricherConfig.StartFrom.LATEST);
        PawkitProperties p = properties;
        return RuntimeParts.enricherRunner(new PawkitProperties(p.dataDir(), p.kafka(), p.projector(),
                p.idempotency(), p.writes(), p.jwt(), p.analytics(), enricher, p.streams()), admin, kafka);
    }

    /** Once the group's members read every event partition, no card created after is missed. */
    private void awaitGroupAssigned(String groupId) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (assigned(groupId) < partitions) {
            assertThat(System.nanoTime()).as("enricher joined its group in time").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private int assigned(String groupId) throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
        return group.members().stream().mapToInt(member -> member.assignment().topicPartitions().size()).sum();
    }
}
