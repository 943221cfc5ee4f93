package dev.pawkit.sync.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WritePathSmokeTest extends ApiIntegrationTest {

    @Test
    void createReplayUpdateConflictDelete() throws Exception {
        String user = "smoke-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        String body = "{\"type\":\"url\",\"url\":\"https://example.com\",\"title\":\"Example\"}";

        HttpResponse<String> created = send("POST", "/api/cards", user, body, Map.of("Idempotency-Key", key));
        System.out.println(created.statusCode() + " " + created.headers().map() + " " + created.body());
        assertThat(created.statusCode()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();

        HttpResponse<String> replayed = send("POST", "/api/cards", user, body, Map.of("Idempotency-Key", key));
        System.out.println(replayed.statusCode() + " " + replayed.headers().map() + " " + replayed.body());
        assertThat(replayed.statusCode()).isEqualTo(201);
        assertThat(replayed.headers().firstValue("Idempotent-Replayed")).contains("true");

        HttpResponse<String> updated = send("PATCH", location, user, "{\"title\":\"New\",\"version\":1}", Map.of());
        System.out.println(updated.statusCode() + " " + updated.body());
        assertThat(updated.statusCode()).isEqualTo(200);

        HttpResponse<String> stale = send("PATCH", location, user, "{\"title\":\"Old\",\"version\":1}", Map.of());
        System.out.println(stale.statusCode() + " " + stale.headers().map() + " " + stale.body());
        assertThat(stale.statusCode()).isEqualTo(409);

        HttpResponse<String> read = send("GET", location, user, null, Map.of());
        System.out.println(read.statusCode() + " " + read.headers().map() + " " + read.body());
        HttpResponse<String> list = send("GET", "/api/cards", user, null, Map.of());
        System.out.println(list.statusCode() + " " + list.body());
        HttpResponse<String> deleted = send("DELETE", location + "?version=2", user, null, Map.of());
        System.out.println(deleted.statusCode() + " " + deleted.body());
        assertThat(deleted.statusCode()).isEqualTo(200);
        HttpResponse<String> feed = send("GET", "/api/cards/changes", user, null, Map.of());
        System.out.println(feed.statusCode() + " " + feed.body());
        HttpResponse<String> bad = send("POST", "/api/cards", user, "{\"type\":\"url\",\"title\":5}", Map.of());
        System.out.println(bad.statusCode() + " " + bad.headers().map() + " " + bad.body());
        HttpResponse<String> anon = send("GET", "/api/cards", null, null, Map.of());
        System.out.println(anon.statusCode() + " " + anon.headers().map() + " " + anon.body());
        HttpResponse<String> health = send("GET", "/actuator/health", null, null, Map.of());
        System.out.println(health.statusCode() + " " + health.body());
    }
}
