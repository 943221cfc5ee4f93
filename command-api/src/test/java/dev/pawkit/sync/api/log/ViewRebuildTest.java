package dev.pawkit.sync.api.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.ApiIntegrationTest;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.projector.ViewComparison;
import dev.pawkit.sync.projector.ViewRebuild;
import dev.pawkit.sync.schemas.PawkitSerdes;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

/**
 * Thousands of random commands from several users (creates, versioned and blind updates, stale
 * ones, deletes, writes to deleted cards, replays), then every view rebuilt from the event log
 * alone and compared with the live views entry by entry: not one may differ.
 */
class ViewRebuildTest extends ApiIntegrationTest {

    /** The application's own: the rebuild seals its views under the users' keys like the projector. */
    @Autowired
    PawkitSerdes serdes;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int USERS = 8;
    private static final int COMMANDS_PER_USER = 300;

    @Test
    void viewsRebuiltFromTheEventLogEqualTheLiveViews() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        ExecutorService pool = Executors.newFixedThreadPool(USERS);
        List<Future<?>> users = new ArrayList<>();
        List<String> userIds = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            String user = "rebuild-" + run + "-" + u;
            long seed = u;
            userIds.add(user);
            users.add(pool.submit(() -> randomCommands(user, new Random(seed))));
        }
        for (Future<?> user : users) {
            user.get();
        }
        pool.shutdown();
        long writes = 0;
        for (String user : userIds) {
            writes += committedLog().eventsOf(user).size();
        }

        ViewRebuild.Report report = ViewRebuild.run(new ViewRebuild.Options(serdes, KafkaClientSettings.plaintext(bootstrapServers), "pawkit-projector-it",
                "pawkit-rebuild-it-" + run, Files.createTempDirectory("pawkit-rebuild"), true, false,
                Duration.ofSeconds(1)), System.out);

        assertThat(report.events()).as("every event of this run, and of the other tests").isGreaterThanOrEqualTo(writes);
        assertThat(report.comparisons()).extracting(ViewComparison::store)
                .containsExactly("cards", "change-feed", "user-sequence", "card-history");
        assertThat(report.comparisons()).allSatisfy(c -> {
            assertThat(c.compared()).as(c.store()).isPositive();
            assertThat(c.differing()).as(c.store()).isEmpty();
        });
        ViewComparison history = report.comparisons().get(3);
        assertThat(history.compared()).as("one history entry per event").isEqualTo(report.events());
        assertThat(report.identical()).isTrue();
    }

    private Void randomCommands(String user, Random random) throws Exception {
        List<String> cards = new ArrayList<>();
        for (int i = 0; i < COMMANDS_PER_USER; i++) {
            int dice = random.nextInt(100);
            HttpResponse<String> response;
            if (cards.isEmpty() || dice < 25) {
                String body = "{\"type\":\"url\",\"url\":\"https://example.com/" + random.nextInt(50)
                        + "\",\"title\":\"t" + i + "\",\"tags\":[\"t" + random.nextInt(5) + "\"]}";
                response = send("POST", "/api/cards", user, body, Map.of("Idempotency-Key", user + "-" + i));
                if (response.statusCode() == 201) {
                    cards.add(JSON.readTree(response.body()).get("id").stringValue());
                }
            } else {
                String card = cards.get(random.nextInt(cards.size()));
                if (dice < 70) {
                    String version = random.nextBoolean() ? "" : ",\"version\":" + (1 + random.nextInt(4));
                    response = send("PATCH", "/api/cards/" + card, user,
                            "{\"title\":\"u" + i + "\",\"pinned\":" + random.nextBoolean() + version + "}",
                            Map.of("Idempotency-Key", user + "-" + i));
                } else if (dice < 80) {
                    response = send("DELETE", "/api/cards/" + card, user, null, Map.of("Idempotency-Key", user + "-" + i));
                } else {
                    // A retry of an earlier request: replayed, never applied again.
                    int earlier = random.nextInt(i);
                    response = send("PATCH", "/api/cards/" + card, user, "{\"notes\":\"n\"}",
                            Map.of("Idempotency-Key", user + "-" + earlier));
                }
            }
            assertThat(response.statusCode()).isIn(200, 201, 404, 409, 410, 422);
        }
        return null;
    }
}
