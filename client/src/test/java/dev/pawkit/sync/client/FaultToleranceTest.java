package dev.pawkit.sync.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pawkit.sync.domain.log.EventEnvelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The faults the issue names, between a client and the real server: the server away then back,
 * 500s and lost answers after the server applied the change. Each operation must take effect
 * exactly once, checked in the card histories and in the committed event log.
 */
class FaultToleranceTest extends StackTest {

    @Test
    void serverDownThenUpEverythingQueuedArrivesOnce() throws Exception {
        PawkitSyncClient client = client("laptop");
        client.start();
        proxy.down();
        List<LocalCard> cards = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            LocalCard card = client.create(note("queued " + i));
            client.update(card.id(), CardPatch.empty().title("title " + i));
            cards.add(card);
        }
        for (int i = 0; i < 5; i++) {
            client.delete(cards.get(i).id());
        }
        List<Operation> queued = client.operations();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.status().offline());
        assertThat(client.status().failed()).isZero();

        proxy.up();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.status().idle());

        // Never sent, each card's changes went as one: a create with its title, or nothing at all
        // for a card created and deleted offline.
        assertThat(client.status()).isEqualTo(new SyncStatus(0, 0, 0, false));
        assertThat(server().liveCards()).hasSize(15).allSatisfy(card -> {
            assertThat(card.get("title").asString()).startsWith("title ");
            assertThat(card.get("version").asLong()).isEqualTo(1);
        });
        for (LocalCard card : cards) {
            assertMergedAppliedOnce(card.id(), keysOf(queued, card.id()));
        }
        List<EventEnvelope> log = committedLog().eventsOf(user);
        assertThat(log).hasSize(15);
        assertThat(log).extracting(EventEnvelope::idempotencyKey).doesNotHaveDuplicates()
                .isSubsetOf(queued.stream().map(Operation::idempotencyKey).toList());
        assertThat(server().changes()).hasSize(15);
    }

    @Test
    void offlineIsShownUntilTheServerAnswersAgain() throws Exception {
        // Retries half a second away: with the fast ones (at most 20 ms) the retry could fall due,
        // and be sent, within the drain that lost the answer.
        PawkitSyncClient client = open(singleRequests("laptop").retryPolicy(RetryPolicy.DEFAULT).random(() -> 0.5));
        LocalCard card = client.create(note("queued"));
        List<Operation> queued = client.operations();
        proxy.down();
        assertThat(client.drainNow().offline()).isTrue();
        assertThat(client.status().offline()).isTrue();

        // Reachable again, but the answer is lost on the way back: no word from the server yet.
        proxy.up();
        proxy.fail(FaultProxy.anyWrite(), FaultProxy.Fault.DROP_AFTER, 1);
        assertThat(client.drainNow().offline()).isFalse();
        assertThat(client.status()).isEqualTo(new SyncStatus(0, 1, 0, true));

        // The retry with the same key is answered (a replay): online, one card, applied once.
        client.syncUntilIdle(Duration.ofSeconds(10));
        assertThat(client.status()).isEqualTo(new SyncStatus(0, 0, 0, false));
        assertAppliedOnce(card.id(), keysOf(queued, card.id()));
        assertThat(committedLog().eventsOf(user)).hasSize(1);
    }

    @Test
    void serverErrorsAfterTheServerAppliedTheChangeHaveExactlyOneEffect() throws Exception {
        assertExactlyOneEffectDespite(FaultProxy.Fault.ERROR_500_AFTER);
    }

    @Test
    void droppedResponsesAfterTheServerAppliedTheChangeHaveExactlyOneEffect() throws Exception {
        assertExactlyOneEffectDespite(FaultProxy.Fault.DROP_AFTER);
    }

    /** The first two sends of every operation are applied by the server, and their answers lost. */
    private void assertExactlyOneEffectDespite(FaultProxy.Fault fault) throws Exception {
        proxy.failAlways(FaultProxy.firstSendsOfEachKey(2), fault);
        PawkitSyncClient client = open(singleRequests("laptop"));
        // Sent step by step, so that no change is merged into another: each one meets the faults.
        List<Operation> queued = new ArrayList<>();
        LocalCard kept = client.create(note("kept").withTags("a"));
        LocalCard gone = client.create(note("gone"));
        queued.addAll(sendAll(client));
        client.update(kept.id(), CardPatch.empty().title("one"));
        client.delete(gone.id());
        queued.addAll(sendAll(client));
        client.update(kept.id(), CardPatch.empty().title("two").tags("a", "b"));
        queued.addAll(sendAll(client));

        assertThat(proxy.writes()).hasSize(queued.size() * 3);
        JsonNode card = server().card(kept.id()).orElseThrow();
        assertThat(card.get("version").asLong()).isEqualTo(3);
        assertThat(card.get("title").asString()).isEqualTo("two");
        assertThat(server().card(gone.id())).isEmpty();
        assertAppliedOnce(kept.id(), keysOf(queued, kept.id()));
        assertAppliedOnce(gone.id(), keysOf(queued, gone.id()));
        assertThat(client.card(kept.id()).orElseThrow().serverVersion()).isEqualTo(3);
        assertThat(committedLog().eventsOf(user)).hasSize(queued.size());
    }

    private static List<Operation> sendAll(PawkitSyncClient client) throws InterruptedException {
        List<Operation> queued = client.operations();
        syncAll(client);
        return queued;
    }

    private static List<String> keysOf(List<Operation> queued, String cardId) {
        return queued.stream().filter(op -> op.cardId().equals(cardId)).map(Operation::idempotencyKey).toList();
    }
}
