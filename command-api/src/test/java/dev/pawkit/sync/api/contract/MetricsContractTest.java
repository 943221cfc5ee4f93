package dev.pawkit.sync.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.Scrape;
import dev.pawkit.sync.testsupport.Tokens;
import java.net.http.HttpResponse;
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
        Scrape scrape = scrape();
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
        // The enricher is off in this context: its counters exist and stay at 0.
        assertThat(scrape.sum("pawkit_enricher_fetches_total", Map.of("outcome", "fetched"))).isZero();
        assertThat(scrape.has("pawkit_enricher_fetches_total", Map.of("outcome", "failed"))).isTrue();
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

    private static double delta(Scrape before, Scrape after, String name, Map<String, String> labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    private static Map<String, String> operator() {
        return Map.of("Authorization", "Bearer " + Tokens.forOperator("metrics-operator"));
    }
}
