package dev.pawkit.sync.client;

import static dev.pawkit.sync.client.FaultProxy.anyWrite;
import static dev.pawkit.sync.client.FaultProxy.method;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Phase 2 of the seed: one idempotency key per operation, made once, stored with it and sent on
 * every retry and after a restart; creates name their card with a client-generated id. Every
 * test checks the server applied each operation exactly once.
 */
class IdempotencyTest extends StackTest {

    @Test
    void slowNetworkAndDoubleClickCreateOnlyOneCard() throws Exception {
        // A slow network holds the first two sends past the client's timeout, so the client sends
        // again while they are still on their way; and two drains race, as a double click would.
        proxy.delay(method("POST"), Duration.ofMillis(2500), 2);
        PawkitSyncClient client = open(config("phone").requestTimeout(Duration.ofMillis(800)));
        LocalCard card = client.create(note("only once"));
        String key = client.operations().get(0).idempotencyKey();

        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> syncQuietly(client));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> syncQuietly(client));
        CompletableFuture.allOf(first, second).join();
        // The held sends reach the server too, after the card was made: duplicates it must recognise.
        await().atMost(Duration.ofSeconds(15)).until(() -> proxy.delayedWritesDone() == 2);

        assertThat(client.status()).isEqualTo(new SyncStatus(0, 0, 0, false));
        assertThat(proxy.writes()).hasSizeGreaterThanOrEqualTo(3)
                .extracting(FaultProxy.Exchange::idempotencyKey).containsOnly(key);
        assertThat(server().liveCards()).extracting(c -> c.get("id").asString()).containsExactly(card.id());
        assertAppliedOnce(card.id(), List.of(key));
    }

    @Test
    void pageRefreshDuringSyncCreatesTheSameCardNotADuplicate() throws Exception {
        proxy.fail(method("POST"), FaultProxy.Fault.DROP_AFTER, 1);
        // A retry half a second away, so the page is gone before it is sent.
        PawkitSyncClient tab = open(config("browser").retryPolicy(RetryPolicy.DEFAULT).random(() -> 0.5));
        LocalCard card = tab.create(note("refresh mid-sync"));
        Operation queued = tab.operations().get(0);
        tab.drainNow();
        // The server applied it but the answer was lost: the operation is still queued.
        assertThat(tab.operations()).singleElement().satisfies(op -> {
            assertThat(op.status()).isEqualTo(OperationStatus.RETRYING);
            assertThat(op.idempotencyKey()).isEqualTo(queued.idempotencyKey());
        });
        tab.close();

        PawkitSyncClient reloaded = open(config("browser").retryPolicy(RetryPolicy.DEFAULT).random(() -> 0.5));
        assertThat(reloaded.operations()).singleElement().extracting(Operation::idempotencyKey)
                .isEqualTo(queued.idempotencyKey());
        syncAll(reloaded);

        List<FaultProxy.Exchange> writes = proxy.writes();
        assertThat(writes).hasSize(2);
        assertThat(writes.get(1).idempotencyKey()).isEqualTo(writes.get(0).idempotencyKey());
        assertThat(writes.get(1).body()).isEqualTo(writes.get(0).body()).contains(card.id());
        assertThat(writes.get(1).replayed()).isTrue();
        assertThat(server().liveCards()).extracting(c -> c.get("id").asString()).containsExactly(card.id());
        assertAppliedOnce(card.id(), List.of(queued.idempotencyKey()));
    }

    @Test
    void retryAfterFailureUsesTheCachedResultIfAvailable() throws Exception {
        proxy.fail(method("POST"), FaultProxy.Fault.ERROR_500_AFTER, 1);
        PawkitSyncClient client = client("laptop");
        LocalCard card = client.create(note("cached result"));
        String key = client.operations().get(0).idempotencyKey();
        syncAll(client);

        assertThat(proxy.writes()).extracting(FaultProxy.Exchange::status).containsExactly(500, 201);
        // The retry got the stored answer of the first send, not a second card.
        assertThat(proxy.writes().get(1).replayed()).isTrue();
        assertThat(client.card(card.id()).orElseThrow().serverVersion()).isEqualTo(1);
        assertThat(server().liveCards()).hasSize(1);
        assertAppliedOnce(card.id(), List.of(key));
    }

    @Test
    void idempotencyKeysAreUniquePerOperation() throws Exception {
        PawkitSyncClient client = open(singleRequests("laptop"));
        List<LocalCard> cards = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            LocalCard card = client.create(note("card " + i));
            client.update(card.id(), CardPatch.empty().title("first " + i));
            client.update(card.id(), CardPatch.empty().title("second " + i));
            cards.add(card);
        }
        client.delete(cards.get(0).id());
        List<Operation> queued = client.operations();
        List<String> keys = queued.stream().map(Operation::idempotencyKey).toList();
        assertThat(new HashSet<>(keys)).hasSize(queued.size());
        keys.forEach(key -> assertThat(UUID.fromString(key).toString()).isEqualTo(key));
        // Stored with the operation: the same keys after a restart.
        client.close();
        PawkitSyncClient reopened = open(singleRequests("laptop"));
        assertThat(reopened.operations()).isEqualTo(queued);

        // Some sends fail and are retried: each retry carries its operation's key, and no other key is ever sent.
        proxy.fail(FaultProxy.firstSendsOfEachKey(1), FaultProxy.Fault.ERROR_500_BEFORE, 8);
        syncAll(reopened);
        Map<String, Long> sendsPerKey = proxy.writes().stream()
                .collect(Collectors.groupingBy(FaultProxy.Exchange::idempotencyKey, Collectors.counting()));
        // Never sent before, each card's changes went as one operation under its first key.
        assertThat(keys).containsAll(sendsPerKey.keySet());
        assertThat(sendsPerKey.values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(sendsPerKey.size() + 8);
        for (LocalCard card : cards) {
            assertMergedAppliedOnce(card.id(), keysOf(queued, card.id()));
        }
        assertThat(server().liveCards()).hasSize(9).allSatisfy(card -> assertThat(card.get("title").asString())
                .startsWith("second "));
    }

    @Test
    void serverDeduplicatesCorrectly() throws Exception {
        // Every write reaches the server twice at once, as two racing duplicates.
        proxy.failAlways(anyWrite(), FaultProxy.Fault.DUPLICATE);
        PawkitSyncClient client = open(singleRequests("laptop"));
        // Sent step by step, so that no change is merged into another: each one is duplicated.
        List<Operation> queued = new ArrayList<>();
        LocalCard kept = client.create(note("kept"));
        LocalCard gone = client.create(note("gone"));
        queued.addAll(sendAll(client));
        client.update(kept.id(), CardPatch.empty().title("one"));
        client.delete(gone.id());
        queued.addAll(sendAll(client));
        client.update(kept.id(), CardPatch.empty().title("two").tags("x"));
        queued.addAll(sendAll(client));

        assertThat(proxy.writes()).hasSize(queued.size());
        assertThat(server().card(kept.id()).orElseThrow().get("version").asLong()).isEqualTo(3);
        assertThat(server().card(kept.id()).orElseThrow().get("title").asString()).isEqualTo("two");
        assertThat(server().card(gone.id())).isEmpty();
        assertAppliedOnce(kept.id(), keysOf(queued, kept.id()));
        assertAppliedOnce(gone.id(), keysOf(queued, gone.id()));
    }

    private static List<Operation> sendAll(PawkitSyncClient client) throws InterruptedException {
        List<Operation> queued = client.operations();
        syncAll(client);
        return queued;
    }

    private static List<String> keysOf(List<Operation> queued, String cardId) {
        return queued.stream().filter(op -> op.cardId().equals(cardId)).map(Operation::idempotencyKey).toList();
    }

    private static void syncQuietly(PawkitSyncClient client) {
        try {
            client.syncUntilIdle(Duration.ofSeconds(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
