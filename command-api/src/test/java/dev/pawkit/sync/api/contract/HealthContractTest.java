package dev.pawkit.sync.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.PawkitApplication;
import dev.pawkit.sync.runtime.ProjectorRunner;
import dev.pawkit.sync.testsupport.EmbeddedApplication;
import dev.pawkit.sync.testsupport.EmbeddedBroker;
import dev.pawkit.sync.testsupport.Tokens;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Health as Kubernetes probes it: {@code /actuator/health/liveness} is the process alone,
 * {@code /actuator/health/readiness} the broker and the projector; everyone gets the status, only
 * operators the components and their details.
 */
class HealthContractTest extends ContractTest {

    private static final String[] HEALTH_PATHS = {"/actuator/health", "/actuator/health/liveness",
            "/actuator/health/readiness"};

    @Test
    void anonymousCallersAndUsersSeeTheStatusOnly() throws Exception {
        for (String path : HEALTH_PATHS) {
            for (String user : new String[] {null, newUser()}) {
                HttpResponse<String> health = send("GET", path, user, null, Map.of());
                assertThat(health.statusCode()).as("%s: %s", path, health.body()).isEqualTo(200);
                JsonNode body = json(health);
                assertThat(body.get("status").stringValue()).isEqualTo("UP");
                // The root also names its probe groups (liveness, readiness): names, not details.
                assertThat(body.propertyNames()).as("%s as %s", path, user).contains("status")
                        .doesNotContain("components", "details").isSubsetOf("status", "groups");
            }
        }
    }

    @Test
    void anUnknownHealthGroupIsA404Problem() throws Exception {
        // Found by the fuzzer: the actuator's 404 had no body at all.
        for (String user : new String[] {null, newUser()}) {
            assertProblem(send("GET", "/actuator/health/" + java.util.UUID.randomUUID(), user, null, Map.of()), 404);
        }
        // And with a body (read before the answer, in a second dispatch): the fuzzer's empty 405.
        assertProblem(send("PATCH", "/actuator/health/" + java.util.UUID.randomUUID(), null, "{\"a\":1}", Map.of()), 405);
    }

    @Test
    void operatorsSeeEveryComponentWithDetails() throws Exception {
        JsonNode health = json(send("GET", "/actuator/health", null, null, operator()));
        JsonNode components = health.get("components");
        assertThat(components.propertyNames()).contains("broker", "projector", "analytics", "enricher",
                "livenessState", "readinessState");
        assertThat(components.get("projector").get("details").get("state").stringValue()).isEqualTo("RUNNING");
        assertThat(components.get("broker").get("details").get("nodes").intValue()).isEqualTo(1);
        assertThat(components.get("analytics").get("details").get("state")).isNotNull();
        // Turned off in this context: UNKNOWN, which leaves the overall status UP.
        assertThat(components.get("enricher").get("status").stringValue()).isEqualTo("UNKNOWN");
        assertThat(health.get("status").stringValue()).isEqualTo("UP");

        JsonNode readiness = json(send("GET", "/actuator/health/readiness", null, null, operator()));
        assertThat(readiness.get("components").propertyNames())
                .containsExactlyInAnyOrder("readinessState", "broker", "projector");
        JsonNode liveness = json(send("GET", "/actuator/health/liveness", null, null, operator()));
        assertThat(liveness.get("components").propertyNames()).containsExactly("livenessState");
    }

    /**
     * On an application of its own (its own broker: stopping the shared context's projector would
     * stall every other test): once its projector is not RUNNING, as while it rebalances or after
     * it failed, readiness is DOWN and liveness stays UP, so Kubernetes stops sending it traffic
     * and does not restart it.
     */
    @Test
    void readinessFollowsTheProjectorAndLivenessDoesNot() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start();
                EmbeddedApplication app = EmbeddedApplication.start(PawkitApplication.class,
                broker.bootstrapServers(), Map.of("pawkit.enricher.enabled", "false",
                        "pawkit.analytics.enabled", "false"))) {
            assertThat(status(app, "/actuator/health/readiness", null)).isEqualTo(200);
            assertThat(status(app, "/actuator/health/liveness", null)).isEqualTo(200);

            app.context().getBean(ProjectorRunner.class).destroy();

            assertThat(status(app, "/actuator/health/readiness", null)).isEqualTo(503);
            assertThat(status(app, "/actuator/health/liveness", null)).isEqualTo(200);
            HttpResponse<String> readiness = request(app, "/actuator/health/readiness", Tokens.forOperator("ops"));
            JsonNode projector = json(readiness).get("components").get("projector");
            assertThat(projector.get("status").stringValue()).isEqualTo("DOWN");
            assertThat(projector.get("details").get("state").stringValue()).isNotEqualTo("RUNNING");
        }
    }

    private int status(EmbeddedApplication app, String path, String token) throws Exception {
        return request(app, path, token).statusCode();
    }

    private HttpResponse<String> request(EmbeddedApplication app, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri().resolve(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> operator() {
        return Map.of("Authorization", "Bearer " + Tokens.forOperator("health-operator"));
    }
}
