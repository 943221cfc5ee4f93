package dev.pawkit.sync.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.runtime.ProjectorRunner;
import dev.pawkit.sync.testsupport.EmbeddedApplication;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two API + projector instances on one broker, as production runs them: the partitions are split
 * between the two projectors, so most requests reach an instance that neither decides the write
 * nor holds the user's views. Writes still answer with the decision (every instance reads every
 * outcome), and reads through either instance show what a write through the other answered.
 */
class TwoInstancesTest extends ApiIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EmbeddedApplication second;

    @AfterEach
    void stopSecondInstance() throws Exception {
        if (second != null) {
            second.close();
            awaitThisInstanceServesEveryPartition();
        }
    }

    @Test
    void writesThroughOneInstanceAreReadThroughTheOther() throws Exception {
        second = startSecondInstance();
        int secondPort = second.port();
        awaitBothServeEveryPartition(second);

        // Enough users that both projectors own some of them (users map to 6 partitions).
        ProjectorRunner secondProjector = second.context().getBean(ProjectorRunner.class);
        Set<Boolean> ownedBySecond = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            String user = "two-" + i + "-" + UUID.randomUUID();
            ownedBySecond.add(secondProjector.reads().ownerOf(user).local());
            HttpResponse<String> created = send("POST", "/api/cards", user, "{\"type\":\"md-note\",\"title\":\"a\"}",
                    Map.of("Idempotency-Key", UUID.randomUUID().toString()));
            assertThat(created.statusCode()).as("create via the first instance").isEqualTo(201);
            String location = created.headers().firstValue("Location").orElseThrow();

            HttpResponse<String> readThere = sendTo(secondPort, "GET", location, user, null, Map.of());
            assertThat(readThere.statusCode()).as("read via the second instance").isEqualTo(200);
            assertThat(JSON.readTree(readThere.body()).get("version").longValue()).isEqualTo(1);

            HttpResponse<String> updated = sendTo(secondPort, "PATCH", location, user,
                    "{\"title\":\"b\",\"version\":1}", Map.of("Idempotency-Key", UUID.randomUUID().toString()));
            assertThat(updated.statusCode()).as("update via the second instance").isEqualTo(200);
            assertThat(updated.headers().firstValue("ETag")).contains("\"2\"");

            JsonNode readHere = JSON.readTree(send("GET", location, user, null, Map.of()).body());
            assertThat(readHere.get("version").longValue()).isEqualTo(2);
            assertThat(readHere.get("title").stringValue()).isEqualTo("b");
            JsonNode feedThere = JSON.readTree(sendTo(secondPort, "GET", "/api/cards/changes", user, null, Map.of()).body());
            assertThat(feedThere.get("items")).hasSize(1);
            assertThat(feedThere.get("items").get(0).get("version").longValue()).isEqualTo(2);
            assertThat(committedLog().eventsOf(user)).hasSize(2);
        }
        assertThat(ownedBySecond).as("each instance owned some of the users").containsExactlyInAnyOrder(true, false);
    }
}
