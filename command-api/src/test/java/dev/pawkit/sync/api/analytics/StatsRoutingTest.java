package dev.pawkit.sync.api.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.runtime.AnalyticsRunner;
import dev.pawkit.sync.testsupport.Tokens;
import dev.pawkit.sync.api.ApiIntegrationTest;
import dev.pawkit.sync.testsupport.EmbeddedApplication;
import dev.pawkit.sync.testsupport.Tokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two instances, as production runs them: the analytics partitions are split between them, and a
 * request for numbers held by the other instance is forwarded there. Either instance answers the
 * same numbers, for users owned by either, and the same global numbers.
 */
class StatsRoutingTest extends ApiIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final int USERS = 12;

    private EmbeddedApplication second;

    @AfterEach
    void stopSecondInstance() throws Exception {
        if (second != null) {
            second.close();
            // Leave this instance serving every partition again for the tests that follow.
            awaitEveryUserReadable(List.of(port));
        }
    }

    @Test
    void eitherInstanceAnswersTheNumbersOfUsersOwnedByEither() throws Exception {
        second = startSecondInstance();
        int secondPort = second.port();
        AnalyticsRunner secondAnalytics = second.context().getBean(AnalyticsRunner.class);
        awaitEveryUserReadable(List.of(port, secondPort));

        String run = UUID.randomUUID().toString().substring(0, 8);
        Set<Boolean> ownedBySecond = new HashSet<>();
        for (int i = 0; i < USERS; i++) {
            String user = "routed-" + run + "-" + i;
            ownedBySecond.add(secondAnalytics.reads().ownerOfUser(user).local());
            HttpResponse<String> created = sendTo(port, "POST", "/api/cards", bearer(user),
                    "{\"type\":\"url\",\"url\":\"https://r" + i + "-" + run + ".example\",\"tags\":[\"t-" + run + "\"]}");
            assertThat(created.statusCode()).isEqualTo(201);
        }
        assertThat(ownedBySecond).as("each instance owns some users' numbers").containsExactlyInAnyOrder(true, false);

        for (int i = 0; i < USERS; i++) {
            String user = "routed-" + run + "-" + i;
            JsonNode here = countedOnce(port, user, run);
            JsonNode there = countedOnce(secondPort, user, run);
            assertThat(there).as(user).isEqualTo(here);
        }
        JsonNode globalHere = JSON.readTree(sendTo(port, "GET", "/api/stats/global?top=1000", operator(), null).body());
        JsonNode globalThere = JSON.readTree(sendTo(secondPort, "GET", "/api/stats/global?top=1000", operator(),
                null).body());
        assertThat(domainsOfRun(globalHere, run)).isEqualTo(USERS);
        assertThat(domainsOfRun(globalThere, run)).isEqualTo(USERS);
    }

    /** The user's numbers through one instance once their card is counted: one creation, one domain, one tag. */
    private JsonNode countedOnce(int instance, String user, String run) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        JsonNode stats = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = sendTo(instance, "GET", "/api/stats", bearer(user), null);
            if (response.statusCode() == 200) {
                stats = JSON.readTree(response.body());
                if (stats.get("lag").longValue() == 0 && tagCount(stats, "t-" + run) == 1) {
                    return stats;
                }
            } else {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            }
            Thread.sleep(100);
        }
        throw new AssertionError(user + "'s card was not counted through port " + instance + ": " + stats);
    }

    private static long tagCount(JsonNode stats, String tag) {
        for (JsonNode entry : stats.get("tags")) {
            if (entry.get("tag").stringValue().equals(tag)) {
                return entry.get("cards").longValue();
            }
        }
        return 0;
    }

    /** Live cards on this run's domains (one per user), in the global numbers. */
    private static long domainsOfRun(JsonNode stats, String run) {
        long cards = 0;
        for (JsonNode entry : stats.get("topDomains")) {
            if (entry.get("domain").stringValue().endsWith("-" + run + ".example")) {
                cards += entry.get("cards").longValue();
            }
        }
        return cards;
    }

    /** Every instance answers card reads and numbers for users of every partition: the split is settled. */
    private void awaitEveryUserReadable(List<Integer> instances) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (int i = 0; i < USERS && all; i++) {
                for (int instance : instances) {
                    all &= sendTo(instance, "GET", "/api/cards?limit=1", bearer("probe-" + i), null).statusCode() == 200
                            && sendTo(instance, "GET", "/api/stats", bearer("probe-" + i), null).statusCode() == 200;
                }
            }
            if (all && sendTo(instances.get(0), "GET", "/api/stats/global", operator(), null).statusCode() == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the instances never all served every partition");
    }

    private HttpResponse<String> sendTo(int instance, String method, String path, Map<String, String> headers,
            String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
            request.header("Idempotency-Key", UUID.randomUUID().toString());
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> bearer(String user) {
        return Map.of("Authorization", "Bearer " + Tokens.forUser(user));
    }

    private static Map<String, String> operator() {
        return Map.of("Authorization", "Bearer " + Tokens.forOperator("ops"));
    }
}
