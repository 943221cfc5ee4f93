package dev.pawkit.sync.client;

import static dev.pawkit.sync.client.FaultProxy.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pawkit.sync.domain.log.EventEnvelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The queue drains in batches ({@code POST /api/batch}, up to 100 operations of different cards
 * per request), each member handled as its single request would be; a batch that gets no answer
 * (or a 5xx, a 429) is sent again with the same keys; an older server without the endpoint gets
 * single requests. Every test checks on the server that each change applied exactly once.
 */
class BatchDrainTest extends StackTest {

    @Test
    void aThousandChangesQueuedOfflineDrainInAtMostTenRequests() throws Exception {
        PawkitSyncClient client = client("laptop");
        List<LocalCard> existing = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            existing.add(client.create(note("existing " + i)));
        }
        syncAll(client);

        proxy.down();
        client.start();
        for (int i = 0; i < 600; i++) {
            LocalCard card = client.create(note("offline " + i));
            if (i < 200) {
                client.update(card.id(), CardPatch.empty().title("edited offline " + i));
            }
        }
        for (int i = 0; i < 100; i++) {
            client.update(existing.get(i).id(), CardPatch.empty().title("changed offline " + i));
            client.delete(existing.get(100 + i).id());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> client.status().offline());
        int writesBefore = proxy.writes().size();

        long start = System.nanoTime();
        proxy.up();
        await().atMost(Duration.ofSeconds(60)).until(() -> client.status().idle());
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        List<FaultProxy.Exchange> drain = proxy.writes().subList(writesBefore, proxy.writes().size());
        System.out.printf("1000 offline changes drained in %d requests, %d ms after the server came back%n",
                drain.size(), elapsedMs);

        assertThat(drain.size()).isLessThanOrEqualTo(10);
        assertThat(drain).allSatisfy(e -> assertThat(e.status()).isEqualTo(200));
        assertThat(client.status()).isEqualTo(new SyncStatus(0, 0, 0, false));
        List<JsonNode> live = server().liveCards();
        assertThat(live).hasSize(700);
        assertThat(live).filteredOn(card -> card.get("content").asString().startsWith("offline "))
                .hasSize(600).allSatisfy(card -> assertThat(card.get("version").asLong()).isEqualTo(1));
        assertThat(live).filteredOn(card -> card.path("title").asString("").startsWith("edited offline "))
                .hasSize(200);
        assertThat(live).filteredOn(card -> card.path("title").asString("").startsWith("changed offline "))
                .hasSize(100).allSatisfy(card -> assertThat(card.get("version").asLong()).isEqualTo(2));
        // Exactly once: 200 creates before, then 600 creates (edits merged in), 100 updates, 100 deletes.
        List<EventEnvelope> log = committedLog().eventsOf(user);
        assertThat(log).hasSize(1000);
        assertThat(log).extracting(EventEnvelope::idempotencyKey).doesNotHaveDuplicates();
    }

    @Test
    void aBatchWhoseAnswerIsLostIsSentAgainAndAppliesOnce() throws Exception {
        assertEachAppliedOnceDespite(FaultProxy.Fault.DROP_AFTER);
    }

    @Test
    void aBatchAnswered500AfterItAppliedIsSentAgainAndAppliesOnce() throws Exception {
        assertEachAppliedOnceDespite(FaultProxy.Fault.ERROR_500_AFTER);
    }

    @Test
    void aBatchAnswered429IsSentAgainAfterRetryAfter() throws Exception {
        assertEachAppliedOnceDespite(FaultProxy.Fault.TOO_MANY_REQUESTS);
    }

    @Test
    void eachMemberIsHandledAsItsOwnRequestAppliedFailedOrInConflict() throws Exception {
        PawkitSyncClient desktop = client("desktop");
        LocalCard shared = desktop.create(note("shared").withTitle("Base"));
        syncAll(desktop);
        PawkitSyncClient mobile = client("mobile");
        mobile.pull();
        desktop.update(shared.id(), CardPatch.empty().notes("desktop notes"));
        syncAll(desktop);

        // One batch: a stale update (409), an invalid create (400), a good create.
        mobile.update(shared.id(), CardPatch.empty().title("Mobile title"));
        LocalCard invalid = mobile.create(note("invalid").withTitle("t".repeat(1001)));
        LocalCard fine = mobile.create(note("fine"));
        String fineKey = mobile.operations().get(2).idempotencyKey();
        mobile.syncUntilIdle(Duration.ofSeconds(20));

        assertThat(proxy.writes()).filteredOn(path("/api/batch")).isNotEmpty();
        assertThat(mobile.failedOperations()).singleElement().satisfies(op -> {
            assertThat(op.cardId()).isEqualTo(invalid.id());
            assertThat(op.lastError()).startsWith("HTTP 400");
        });
        assertAppliedOnce(fine.id(), List.of(fineKey));
        // The conflict was merged by the default resolver and sent again: both edits are kept.
        JsonNode card = server().card(shared.id()).orElseThrow();
        assertThat(card.get("title").asString()).isEqualTo("Mobile title");
        assertThat(card.get("notes").asString()).isEqualTo("desktop notes");
        assertThat(server().history(shared.id())).hasSize(3);
        assertThat(mobile.conflicts()).singleElement().extracting(ResolvedConflict::resolution).isEqualTo("merge");
        assertThat(server().card(invalid.id())).isEmpty();
    }

    @Test
    void anOlderServerWithoutBatchesGetsSingleRequests() throws Exception {
        proxy.failAlways(path("/api/batch"), FaultProxy.Fault.NOT_FOUND);
        PawkitSyncClient client = client("laptop");
        List<LocalCard> cards = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            cards.add(client.create(note("card " + i)));
        }
        List<Operation> queued = client.operations();
        syncAll(client);

        assertThat(proxy.writes()).extracting(FaultProxy.Exchange::path)
                .containsExactly("/api/batch", "/api/cards", "/api/cards", "/api/cards", "/api/cards", "/api/cards");
        for (int i = 0; i < 5; i++) {
            assertAppliedOnce(cards.get(i).id(), List.of(queued.get(i).idempotencyKey()));
        }
        // Remembered: the next changes go singly at once.
        client.update(cards.get(0).id(), CardPatch.empty().title("a"));
        client.update(cards.get(1).id(), CardPatch.empty().title("b"));
        syncAll(client);
        assertThat(proxy.writes()).filteredOn(path("/api/batch")).hasSize(1);
    }

    /** The first batch meets {@code fault}; the retry (same keys) applies or replays each member once. */
    private void assertEachAppliedOnceDespite(FaultProxy.Fault fault) throws Exception {
        proxy.fail(path("/api/batch"), fault, 1);
        PawkitSyncClient client = client("laptop");
        List<LocalCard> cards = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            cards.add(client.create(note("card " + i)));
        }
        List<Operation> queued = client.operations();
        syncAll(client);

        // Each member retries on its own backoff, so the retries may go in one batch or several.
        assertThat(proxy.writes().get(0).path()).isEqualTo("/api/batch");
        assertThat(proxy.writes().size()).isBetween(2, 6);
        for (int i = 0; i < 5; i++) {
            assertAppliedOnce(cards.get(i).id(), List.of(queued.get(i).idempotencyKey()));
        }
        assertThat(committedLog().eventsOf(user)).hasSize(5);
        assertThat(client.cards()).allSatisfy(card -> assertThat(card.serverVersion()).isEqualTo(1));
    }
}
