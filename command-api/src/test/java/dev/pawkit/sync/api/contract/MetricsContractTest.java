package dev.pawkit.sync.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.Scrape;
import dev.pawkit.sync.testsupport.Tokens;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /actuator/prometheus}: for operators only (a token with scope {@code operator}), and the
 * write path's meters move with the writes made here. The context is shared with every other test,
 * so counts are compared before and after, never read as absolute numbers.
 */
class MetricsContractTest extends ContractTest {

    private static final String NOTE = "{\"type\":\"md-note\",\"title\":\"metered\"}";

    @Test
    void writesMoveTheirCountersAndTimers() throws Exception {
        String user = newUser();
        Scrape before = scrape();

        String key = newKey();
        HttpResponse<String> created = post(user, NOTE, key);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> replayed = post(user, NOTE, key);
        assertThat(replayed.statusCode()).isEqualTo(201);
        assertThat(header(replayed, "Idempotent-Replayed")).isEqualTo("true");
        String id = text(json(created), "id");
        updateCard(user, id, "{\"title\":\"v2\"}");
        assertProblem(patch(user, id, "{\"title\":\"lost\",\"version\":1}"), 409, "version-conflict");
        HttpResponse<String> pending = send("POST", "/api/cards", user, NOTE,
                Map.of("Idempotency-Key", newKey(), "Prefer", "respond-async"));
        assertThat(pending.statusCode()).isEqualTo(202);

        Scrape after = scrape();
        // The create and its replay both answered "created"; only the replay counts as one.
        assertThat(delta(before, after, "pawkit_commands_total", Map.of("type", "create", "outcome", "created")))
                .isEqualTo(2);
        assertThat(delta(before, after, "pawkit_idempotent_replays_total", Map.of("type", "create"))).isEqualTo(1);
        assertThat(delta(before, after, "pawkit_commands_total", Map.of("type", "update", "outcome", "updated")))
                .isEqualTo(1);
        assertThat(delta(before, after, "pawkit_commands_total",
                Map.of("type", "update", "outcome", "version-conflict"))).isEqualTo(1);
        assertThat(delta(before, after, "pawkit_conflicts_total",
                Map.of("type", "update", "reason", "version-conflict"))).isEqualTo(1);
        assertThat(delta(before, after, "pawkit_commands_total", Map.of("type", "create", "outcome", "pending")))
                .isEqualTo(1);
        // Four writes waited for their decision (the 202 did not).
        assertThat(delta(before, after, "pawkit_commands_decision_seconds_count", Map.of())).isEqualTo(4);
        assertThat(delta(before, after, "pawkit_commands_reply_wait_seconds_count", Map.of("result", "decided")))
                .isEqualTo(4);
        assertThat(delta(before, after, "pawkit_commands_append_seconds_count", Map.of("result", "appended")))
                .isEqualTo(5);
        // Percentile histograms: buckets, so quantiles can be computed across instances.
        assertThat(after.has("pawkit_commands_decision_seconds_bucket", Map.of("type", "create"))).isTrue();
        assertThat(after.has("pawkit_commands_reply_wait_seconds_bucket")).isTrue();
        assertThat(after.has("http_server_requests_seconds_count", Map.of("status", "202"))).isTrue();
    }

    @Test
    void kafkasOwnMetricsAndThePipelinesAreScraped() throws Exception {
        Scrape scrape = scrapeWithConsumerLag();
        // The producer of the command log and the reply consumer (KafkaClientMetrics).
        assertThat(scrape.has("kafka_producer_record_send_total", Map.of("client", "command-producer"))).isTrue();
        assertThat(scrape.has("kafka_consumer_fetch_manager_fetch_total", Map.of("client", "command-results")))
                .isTrue();
        // The projector's and analytics' Streams clients (KafkaStreamsMetrics), with their consumers' lag per partition.
        assertThat(scrape.has("kafka_stream_alive_stream_threads", Map.of("client", "projector"))).isTrue();
        assertThat(scrape.has("kafka_stream_alive_stream_threads", Map.of("client", "analytics"))).isTrue();
        assertThat(scrape.samples()).anySatisfy(sample -> {
            assertThat(sample.name()).isEqualTo("kafka_consumer_fetch_manager_records_lag");
            assertThat(sample.labels()).containsEntry("client", "projector").containsKey("partition");
        });
        assertThat(scrape.sum("pawkit_streams_running", Map.of("application", "projector"))).isEqualTo(1);
        assertThat(scrape.has("pawkit_streams_running", Map.of("application", "analytics"))).isTrue();
        assertThat(scrape.has("pawkit_analytics_lag")).isTrue();
        // A number of offsets, read in the background: never NaN (a gauge whose source is gone) nor negative.
        assertThat(scrape.samples()).filteredOn(sample -> sample.name().equals("pawkit_analytics_lag"))
                .allSatisfy(sample -> assertThat(sample.value()).isNotNaN().isFinite().isGreaterThanOrEqualTo(0));
        // The enricher is off in this context: its counters exist and stay at 0.
        assertThat(scrape.sum("pawkit_enricher_fetches_total", Map.of("outcome", "fetched"))).isZero();
        assertThat(scrape.has("pawkit_enricher_fetches_total", Map.of("outcome", "failed"))).isTrue();
    }

    /**
     * docs/grafana-dashboard.json draws only what a real scrape has: each metric name, each label
     * it filters or groups on. The writes first make the labelled series that exist only once used
     * (a 202's outcome pending, a replay, a conflict).
     */
    @Test
    void theGrafanaDashboardQueriesOnlyWhatTheScrapeHas() throws Exception {
        String user = newUser();
        String key = newKey();
        String id = text(json(post(user, NOTE, key)), "id");
        assertThat(post(user, NOTE, key).statusCode()).isEqualTo(201);
        assertProblem(patch(user, id, "{\"title\":\"lost\",\"version\":7}"), 409, "version-conflict");
        assertThat(send("POST", "/api/cards", user, NOTE, Map.of("Idempotency-Key", newKey(), "Prefer", "respond-async"))
                .statusCode()).isEqualTo(202);
        List<String> queries = DashboardQueryCheck.queries(
                JSON.readTree(java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "grafana-dashboard.json"))));
        assertThat(queries).hasSizeGreaterThanOrEqualTo(15);
        DashboardQueryCheck check = new DashboardQueryCheck(scrapeWithConsumerLag(), Map.of(
                // Counted only while the broker is down; SlowDecisionAndBrokerOutageTest shows the series then.
                "outcome=broker-unavailable", "SlowDecisionAndBrokerOutageTest"));

        assertThat(check.discrepancies(queries)).isEmpty();

        // The same check fails on a dashboard that names a metric, a label value or a grouping the scrape lacks.
        assertThat(check.discrepancies(List.of("max(pawkit_analytic_lag{instance=~\"$instance\"})")))
                .anyMatch(d -> d.contains("pawkit_analytic_lag is not in the scrape"));
        assertThat(check.discrepancies(List.of("sum(rate(pawkit_commands_total{outcome=\"no-such-outcome\"}[1m]))")))
                .anyMatch(d -> d.contains("no-such-outcome"));
        assertThat(check.discrepancies(List.of("sum by (colour) (rate(pawkit_commands_total{instance=~\".*\"}[1m]))")))
                .anyMatch(d -> d.contains("no label colour"));
    }

    @Test
    void metricsAreForOperatorsOnly() throws Exception {
        HttpResponse<String> anonymous = send("GET", "/actuator/prometheus", null, null, Map.of());
        assertProblem(anonymous, 401, "unauthorized");
        assertThat(anonymous.body()).doesNotContain("pawkit_");

        HttpResponse<String> user = send("GET", "/actuator/prometheus", newUser(), null, Map.of());
        assertProblem(user, 403, "forbidden");
        assertThat(user.body()).doesNotContain("pawkit_");

        HttpResponse<String> operator = send("GET", "/actuator/prometheus", null, null, operator());
        assertThat(operator.statusCode()).isEqualTo(200);
        assertThat(operator.body()).contains("pawkit_streams_running{");
    }

    private Scrape scrape() throws Exception {
        HttpResponse<String> response = send("GET", "/actuator/prometheus", null, null, operator());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(header(response, "Content-Type")).startsWith("text/plain");
        return Scrape.of(response.body());
    }

    /**
     * A scrape once the consumers' lag per partition is in it: Kafka adds those metrics when
     * partitions are assigned, and KafkaMeters looks for new ones every 10 s, so a context started
     * moments ago may not have them yet (bounded wait, then the scrape as it is).
     */
    private Scrape scrapeWithConsumerLag() throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (true) {
            Scrape scrape = scrape();
            boolean lagOfEach = List.of("projector", "analytics", "command-results").stream().allMatch(client ->
                    scrape.samples().stream().anyMatch(sample -> sample.name().equals("kafka_consumer_fetch_manager_records_lag")
                            && client.equals(sample.labels().get("client")) && sample.labels().containsKey("partition")));
            if (lagOfEach || System.nanoTime() > deadline) {
                return scrape;
            }
            Thread.sleep(500);
        }
    }

    private static double delta(Scrape before, Scrape after, String name, Map<String, String> labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    private static Map<String, String> operator() {
        return Map.of("Authorization", "Bearer " + Tokens.forOperator("metrics-operator"));
    }
}
