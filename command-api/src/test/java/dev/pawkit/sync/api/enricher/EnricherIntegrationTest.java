package dev.pawkit.sync.api.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.ApiIntegrationTest;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.enricher.DeadLetter;
import dev.pawkit.sync.enricher.EnricherConfig;
import dev.pawkit.sync.enricher.MetadataEnricher;
import dev.pawkit.sync.enricher.fetch.FetchPolicy;
import dev.pawkit.sync.enricher.fetch.FetchSettings;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.schemas.PawkitSerdes;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the enricher's integration tests: the whole application on the shared broker (its own
 * enricher off, see {@link ApiIntegrationTest}), a {@link TestSite} on 127.0.0.1, and enricher
 * instances the tests start themselves, each with its own configuration and group. Each starts
 * reading at the log's end, so it answers only the cards its test creates.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EnricherIntegrationTest extends ApiIntegrationTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration SETTLE = Duration.ofSeconds(30);

    @Value("${pawkit.kafka.partitions}")
    int partitions;

    /** The application's own: the enricher seals its answers under the users' keys like the API. */
    @Autowired
    PawkitSerdes serdes;

    TestSite site;
    private final List<MetadataEnricher> started = new ArrayList<>();

    @BeforeAll
    void startSite() throws Exception {
        site = new TestSite();
    }

    @AfterEach
    void stopEnrichers() {
        started.forEach(MetadataEnricher::close);
        started.clear();
    }

    @AfterAll
    void stopSite() {
        site.close();
    }

    /** Test-sized limits: 1 s to connect, 1 MB per page, 2 retries, short backoff, Retry-After up to 2 s. */
    static FetchSettings testSettings(Duration readTimeout) {
        return new FetchSettings(Duration.ofSeconds(1), readTimeout, 1024 * 1024, 5, 2, Duration.ofMillis(50),
                Duration.ofMillis(200), Duration.ofSeconds(2), FetchSettings.USER_AGENT);
    }

    EnricherConfig config(String groupId, List<String> allowList, FetchSettings settings) {
        return config(groupId, allowList, settings, 4);
    }

    /**
     * @param hostConcurrency fetches at once from one host: the tests' pages are all on one site, and
     *     some hold several of them at once (as many as the workers by default)
     */
    EnricherConfig config(String groupId, List<String> allowList, FetchSettings settings, int hostConcurrency) {
        return new EnricherConfig(KafkaClientSettings.plaintext(bootstrapServers), groupId, partitions, EnricherConfig.StartFrom.LATEST, 4,
                hostConcurrency, Duration.ofSeconds(30), 32, Duration.ofMillis(100), FetchPolicy.of(allowList, false), settings);
    }

    /** An enricher of its own group; returns once it reads every partition, so no card of the test is missed. */
    MetadataEnricher startEnricher(EnricherConfig config) throws InterruptedException {
        MetadataEnricher enricher = MetadataEnricher.create(config, serdes).start();
        started.add(enricher);
        awaitAssigned(enricher);
        return enricher;
    }

    MetadataEnricher startEnricher(List<String> allowList) throws InterruptedException {
        return startEnricher(config("pawkit-enricher-it-" + UUID.randomUUID(), allowList,
                testSettings(Duration.ofSeconds(1))));
    }

    void awaitAssigned(MetadataEnricher enricher) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (enricher.assignedPartitions() < partitions) {
            assertThat(System.nanoTime()).as("enricher joined its group in time").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    static String newUser(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    String createUrlCard(String user, String url) throws Exception {
        HttpResponse<String> created = send("POST", "/api/cards", user,
                JSON.writeValueAsString(Map.of("type", "url", "url", url, "title", "my own title")),
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode card = JSON.readTree(created.body());
        assertThat(card.get("metadataStatus").get("state").stringValue()).isEqualTo("pending");
        return card.get("id").stringValue();
    }

    JsonNode card(String user, String id) throws Exception {
        HttpResponse<String> read = send("GET", "/api/cards/" + id, user, null, Map.of());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        return JSON.readTree(read.body());
    }

    /** The card, read through the API, once its metadata is no longer pending. */
    JsonNode awaitAnswered(String user, String id) throws Exception {
        return awaitCard(user, id, card -> !card.get("metadataStatus").get("state").stringValue().equals("pending"));
    }

    JsonNode awaitCard(String user, String id, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            JsonNode card = card(user, id);
            if (condition.test(card)) {
                return card;
            }
            assertThat(System.nanoTime()).as("card %s settled in time: %s", id, card).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    static String state(JsonNode card) {
        return card.get("metadataStatus").get("state").stringValue();
    }

    static String reason(JsonNode card) {
        return card.get("metadataStatus").get("reason").stringValue();
    }

    static String metadata(JsonNode card, String field) {
        JsonNode value = card.get("metadata").get(field);
        return value == null || value.isNull() ? null : value.stringValue();
    }

    /**
     * The card's events in the log: created, then exactly one metadata answer from the enricher
     * (the version grew by exactly one, and no replay made a second change).
     */
    void assertAnsweredExactlyOnce(String user, String id) throws InterruptedException {
        List<EventEnvelope> events = awaitEvents(user, id, 2);
        assertThat(events).extracting(EventEnvelope::version).containsExactly(1L, 2L);
        assertThat(events.get(1).actor()).isEqualTo("pawkit-enricher");
        assertThat(events.get(1).idempotencyKey()).isEqualTo("metadata:" + id + ":1");
    }

    /**
     * The card's committed events once there are at least {@code count}. A read through the API
     * can show a change a moment before its transaction commits (the projector's store is
     * queried live), so the log is waited for rather than read once.
     */
    List<EventEnvelope> awaitEvents(String user, String id, int count) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            List<EventEnvelope> events = committedLog().eventsOf(user, id);
            if (events.size() >= count) {
                return events;
            }
            assertThat(System.nanoTime()).as("%d events of card %s committed", count, id).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Dead letters of a card, opened with the users' keys as an operator would; one whose owner was erased is skipped. */
    List<DeadLetter> deadLetters(String cardId) {
        return committedLog().deadLettersOf(cardId).stream()
                .flatMap(letter -> DeadLetter.open(letter.getBytes(StandardCharsets.UTF_8), serdes.sealer()).stream())
                .toList();
    }

    /** The enricher's commands for the user's cards, duplicates included. */
    List<CommandEnvelope> metadataCommands(String user) {
        return committedLog().commandsOf(user).stream()
                .filter(command -> command.actor().equals("pawkit-enricher")).toList();
    }
}
