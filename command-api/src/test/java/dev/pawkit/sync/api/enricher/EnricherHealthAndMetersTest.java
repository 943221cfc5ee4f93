package dev.pawkit.sync.api.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.Scrape;
import dev.pawkit.sync.enricher.EnricherConfig;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.runtime.EnricherRunner;
import dev.pawkit.sync.runtime.PawkitProperties;
import dev.pawkit.sync.runtime.RuntimeParts;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.runtime.KafkaMeters;
import dev.pawkit.sync.testsupport.Tokens;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
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
    @Autowired
    KafkaMeters kafkaMeters;
    @Autowired
    PawkitSerdes serdes;

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

    @Test
    void fetchesAreCountedByOutcomeOnceAPageIsFetchedAndOnceOneFailed() throws Exception {
        String group = newGroup();
        EnricherRunner runner = runner(group);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MeterBinder meters = RuntimeParts.pipelineMeters(runner);
        meters.bindTo(registry);
        try {
            RuntimeParts.start(runner);
            awaitGroupAssigned(group);
            assertThat(fetches(registry, "fetched")).isZero();
            assertThat(fetches(registry, "failed")).isZero();

            String user = newUser("meters");
            assertThat(state(awaitAnswered(user, createUrlCard(user, site.url("/title-only"))))).isEqualTo("ok");
            awaitFetches(registry, "fetched", 1);
            assertThat(fetches(registry, "failed")).isZero();

            assertThat(state(awaitAnswered(user, createUrlCard(user, site.url("/no-such-page"))))).isEqualTo("failed");
            awaitFetches(registry, "failed", 1);
            assertThat(fetches(registry, "fetched")).as("the fetched page counted once").isEqualTo(1);
        } finally {
            runner.destroy();
            ((DisposableBean) meters).destroy();
            registry.close();
        }
    }

    /** The outcome's count as a scrape shows it, {@code pawkit_enricher_fetches_total{outcome=...}}. */
    private static double fetches(PrometheusMeterRegistry registry, String outcome) {
        return Scrape.of(registry.scrape()).sum("pawkit_enricher_fetches_total", Map.of("outcome", outcome));
    }

    /**
     * The count is raised once the broker acknowledged the answer, which the card may show a moment
     * before: waits for it, then checks it is exactly that.
     */
    private static void awaitFetches(PrometheusMeterRegistry registry, String outcome, double expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (fetches(registry, outcome) < expected) {
            assertThat(System.nanoTime()).as("%s counted in time", outcome).isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(fetches(registry, outcome)).isEqualTo(expected);
    }

    @Test
    void aScrapeHasTheEnricherConsumersAndProducersOwnMetricsWhileItRuns() throws Exception {
        Map<String, String> consumer = Map.of("client", "enricher-consumer");
        Map<String, String> producer = Map.of("client", "enricher-producer");
        EnricherRunner runner = runner(newGroup());
        try {
            RuntimeParts.start(runner);

            Scrape running = scrape();
            assertThat(running.has("kafka_consumer_fetch_manager_fetch_total", consumer)).isTrue();
            assertThat(running.has("kafka_producer_record_send_total", producer)).isTrue();
        } finally {
            runner.destroy();
        }
        Scrape stopped = scrape();
        assertThat(stopped.has("kafka_consumer_fetch_manager_fetch_total", consumer))
                .as("a stopped client reports nothing rather than its last values").isFalse();
        assertThat(stopped.has("kafka_producer_record_send_total", producer)).isFalse();
    }

    /** The application's /actuator/prometheus, as an operator reads it. */
    private Scrape scrape() throws Exception {
        HttpResponse<String> response = send("GET", "/actuator/prometheus", null, null,
                Map.of("Authorization", "Bearer " + Tokens.forOperator("enricher-meters-test")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Scrape.of(response.body());
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
                p.idempotency(), p.writes(), p.jwt(), p.analytics(), enricher, p.streams(), p.encryption()), admin, kafka,
                serdes, kafkaMeters);
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
