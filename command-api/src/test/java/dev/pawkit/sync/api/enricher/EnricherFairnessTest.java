package dev.pawkit.sync.api.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.domain.Edit;
import dev.pawkit.sync.domain.MetadataStatus;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.enricher.EnricherConfig;
import dev.pawkit.sync.enricher.fetch.FetchPolicy;
import dev.pawkit.sync.infra.KafkaClientSettings;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13's fairness defect: behind a backlog of other users' url cards whose pages fail or time
 * out, a new user's card got its metadata only after the backlog (more than 30 s). Here the backlog
 * (1,000 cards of 10 users, on a site of its own that answers 500, hangs up, or answers after the
 * read timeout) is written first, then one new user's card for a good page on another site. No
 * timing is asserted: when the new card has its metadata, the bad site must have been asked for a
 * small part of the backlog only (before the fix: every page three times, in log order). Then every
 * backlog card is answered, as failed, exactly once: none lost, none answered twice.
 */
class EnricherFairnessTest extends EnricherIntegrationTest {

    private static final int USERS = 10;
    private static final int CARDS_PER_USER = 100;
    private static final int BACKLOG = USERS * CARDS_PER_USER;

    @ParameterizedTest(name = "backlog pages that {0}")
    @ValueSource(strings = {"error", "reset", "slow"})
    void aNewUsersCardIsAnsweredWhileMostOfTheBacklogWasNeverAsked(String kind) throws Exception {
        try (TestSite bad = new TestSite()) {
            startEnricher(new EnricherConfig(KafkaClientSettings.plaintext(bootstrapServers),
                    "pawkit-enricher-fairness-" + UUID.randomUUID(), partitions, EnricherConfig.StartFrom.LATEST,
                    4, 2, Duration.ofSeconds(30), 10_000, Duration.ofMillis(100),
                    FetchPolicy.of(List.of("127.0.0.1"), false), testSettings(Duration.ofSeconds(1))));

            Map<String, List<String>> backlog = new LinkedHashMap<>();
            for (int u = 0; u < USERS; u++) {
                String user = newUser("backlog-" + kind);
                backlog.put(user, createUrlCards(user, bad, "/" + kind + "/" + u + "-"));
            }
            String newcomer = newUser("newcomer");
            String id = createUrlCard(newcomer, site.url("/og"));

            JsonNode card = awaitAnswered(newcomer, id);
            int backlogRequests = bad.requests();
            assertThat(state(card)).isEqualTo("ok");
            assertThat(metadata(card, "title")).isEqualTo("The OpenGraph title");
            assertThat(backlogRequests).as("backlog pages requested before the new card had its metadata")
                    .isLessThan(BACKLOG / 20);
            assertAnsweredExactlyOnce(newcomer, id);

            for (Map.Entry<String, List<String>> user : backlog.entrySet()) {
                assertEveryCardFailedExactlyOnce(user.getKey(), user.getValue());
            }
            String sample = backlog.values().iterator().next().get(0);
            assertThat(deadLetters(sample)).as("a dead letter for a backlog card").hasSize(1);
        }
    }

    /**
     * The user's url cards for pages {@code path0 .. path99} of the site, created in one batch with
     * ids of our own: a member still undecided after the API's wait (202, on a busy machine) is
     * checked in the log later like the others.
     */
    private List<String> createUrlCards(String user, TestSite on, String path) throws Exception {
        List<Map<String, Object>> operations = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CARDS_PER_USER; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            operations.add(Map.of("method", "POST", "path", "/api/cards", "idempotencyKey", UUID.randomUUID().toString(),
                    "body", Map.of("id", id, "type", "url", "url", on.url(path + i), "title", "backlog " + i)));
        }
        HttpResponse<String> answer = send("POST", "/api/batch", user,
                JSON.writeValueAsString(Map.of("operations", operations)), Map.of());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        for (JsonNode result : JSON.readTree(answer.body()).get("results")) {
            assertThat(result.get("status").intValue()).as(result.toString()).isIn(201, 202);
        }
        return ids;
    }

    /**
     * Each card's committed events are its creation and one answer of the enricher, a failure,
     * under the request's key; the enricher sent one command per card (a crash-free run never
     * answers twice).
     */
    private void assertEveryCardFailedExactlyOnce(String user, List<String> ids) throws InterruptedException {
        Map<String, List<EventEnvelope>> events = awaitAllAnswered(user, ids);
        assertThat(events.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        for (String id : ids) {
            List<EventEnvelope> card = events.get(id);
            assertThat(card).extracting(EventEnvelope::version).containsExactly(1L, 2L);
            assertThat(card.get(1).actor()).isEqualTo("pawkit-enricher");
            assertThat(card.get(1).idempotencyKey()).isEqualTo("metadata:" + id + ":1");
            CardEvent.CardUpdated answer = (CardEvent.CardUpdated) card.get(1).event();
            MetadataStatus status = ((Edit.SetTo<MetadataStatus>) answer.changes().metadataStatus()).value();
            assertThat(status.state()).isEqualTo(MetadataStatus.State.FAILED);
        }
        Map<String, Long> commandsPerKey = metadataCommands(user).stream()
                .collect(Collectors.groupingBy(CommandEnvelope::idempotencyKey, Collectors.counting()));
        assertThat(commandsPerKey).hasSize(ids.size());
        assertThat(commandsPerKey.values()).allMatch(count -> count == 1);
        assertThat(ids.stream().collect(Collectors.toMap(Function.identity(), id -> "metadata:" + id + ":1")).values())
                .containsExactlyInAnyOrderElementsOf(commandsPerKey.keySet());
    }

    /** The user's committed events by card, once each of the cards has at least its answer. */
    private Map<String, List<EventEnvelope>> awaitAllAnswered(String user, List<String> ids) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            Map<String, List<EventEnvelope>> events = committedLog().eventsOf(user).stream()
                    .collect(Collectors.groupingBy(EventEnvelope::cardId));
            if (ids.stream().allMatch(id -> events.containsKey(id) && events.get(id).size() >= 2)) {
                return events;
            }
            assertThat(System.nanoTime()).as("every backlog card of %s answered in time", user).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
