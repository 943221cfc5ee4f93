package dev.pawkit.sync.client;

import static dev.pawkit.sync.client.FaultProxy.anyWrite;
import static dev.pawkit.sync.client.FaultProxy.method;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Phase 3 of the seed: transient failures are retried with exponential backoff and full jitter,
 * permanent ones fail at once, failed operations are kept, listed, retried or discarded, and the
 * queue resumes by itself when the server is back. Tests that check waits use a manual clock and
 * sleeper, so the default policy (1 s base, 8 s cap) runs in milliseconds.
 */
class RetryTest extends StackTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T10:00:00Z"));

    @Test
    void disconnectWifiOperationsAutoRetryWhenReconnected() throws Exception {
        PawkitSyncClient client = client("phone");
        client.start();
        proxy.down();
        LocalCard card = client.create(note("written offline"));
        client.update(card.id(), CardPatch.empty().title("still offline"));
        LocalCard other = client.create(note("another"));
        List<Operation> queued = client.operations();

        await().atMost(Duration.ofSeconds(5)).until(() -> client.status().offline());
        Thread.sleep(500);
        // While the server is unreachable nothing is spent: no retry counted, nothing failed.
        assertThat(client.operations()).allSatisfy(op -> {
            assertThat(op.attempts()).isZero();
            assertThat(op.status()).isEqualTo(OperationStatus.PENDING);
        });

        proxy.up();
        // No new local write: the timer finds the server again.
        await().atMost(Duration.ofSeconds(10)).until(() -> client.status().idle());
        assertThat(client.status()).isEqualTo(new SyncStatus(0, 0, 0, false));
        assertThat(server().card(card.id()).orElseThrow().get("title").asString()).isEqualTo("still offline");
        assertMergedAppliedOnce(card.id(), queued.stream().filter(op -> op.cardId().equals(card.id()))
                .map(Operation::idempotencyKey).toList());
        assertAppliedOnce(other.id(), queued.stream().filter(op -> op.cardId().equals(other.id()))
                .map(Operation::idempotencyKey).toList());
    }

    @Test
    void slowNetworkOperationsRetryWithBackoff() throws Exception {
        // The first two sends take longer than the client waits for an answer.
        proxy.delay(anyWrite(), Duration.ofMillis(3000), 2);
        PawkitSyncClient client = open(config("phone").requestTimeout(Duration.ofMillis(1000))
                .retryPolicy(RetryPolicy.DEFAULT).clock(clock).sleeper(clock.sleeper()).random(() -> 0.5));
        LocalCard card = client.create(note("slow"));
        String key = client.operations().get(0).idempotencyKey();
        syncAll(client);

        // Half of each jittered bound (random 0.5): 1 s, then 2 s.
        assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000));
        await().atMost(Duration.ofSeconds(15)).until(() -> proxy.delayedWritesDone() == 2);
        assertThat(proxy.writes()).hasSize(3).extracting(FaultProxy.Exchange::idempotencyKey).containsOnly(key);
        assertAppliedOnce(card.id(), List.of(key));
    }

    @Test
    void serverError500RetriesThreeTimesThenMarksAsFailed() throws Exception {
        proxy.failAlways(anyWrite(), FaultProxy.Fault.ERROR_500_BEFORE);
        PawkitSyncClient client = open(config("laptop").retryPolicy(RetryPolicy.DEFAULT)
                .clock(clock).sleeper(clock.sleeper()).random(() -> 0.5));
        LocalCard card = client.create(note("never arrives"));
        String key = client.operations().get(0).idempotencyKey();

        SyncStatus status = client.syncUntilIdle(Duration.ofMinutes(1));

        assertThat(status).isEqualTo(new SyncStatus(0, 0, 1, false));
        // The first send and three retries, all with the same key.
        assertThat(proxy.writes()).hasSize(4).extracting(FaultProxy.Exchange::idempotencyKey).containsOnly(key);
        assertThat(client.failedOperations()).singleElement().satisfies(op -> {
            assertThat(op.attempts()).isEqualTo(4);
            assertThat(op.lastError()).contains("HTTP 500");
        });
        // Kept, and still shown, marked failed.
        assertThat(client.card(card.id())).get().extracting(LocalCard::syncState).isEqualTo(LocalCard.SyncState.FAILED);
        assertThat(server().card(card.id())).isEmpty();
    }

    @Test
    void permanentError400FailsImmediatelyWithoutRetries() throws Exception {
        PawkitSyncClient client = open(singleRequests("laptop"));
        LocalCard invalid = client.create(note("too long a title").withTitle("t".repeat(1001)));
        LocalCard valid = client.create(note("fine"));
        String validKey = client.operations().get(1).idempotencyKey();

        client.syncUntilIdle(Duration.ofSeconds(20));
        // Made after the create failed (a change made before it was sent would be merged into it).
        client.update(invalid.id(), CardPatch.empty().notes("waits behind its create"));
        SyncStatus status = client.syncUntilIdle(Duration.ofSeconds(20));

        assertThat(proxy.writes()).filteredOn(e -> e.body().contains(invalid.id())).singleElement()
                .extracting(FaultProxy.Exchange::status).isEqualTo(400);
        assertThat(client.failedOperations()).singleElement().satisfies(op -> {
            assertThat(op.cardId()).isEqualTo(invalid.id());
            assertThat(op.attempts()).isEqualTo(1);
            assertThat(op.lastError()).startsWith("HTTP 400");
        });
        // The failed card's later change waits; the other card was not held back at all.
        assertThat(status).isEqualTo(new SyncStatus(1, 0, 1, false));
        assertAppliedOnce(valid.id(), List.of(validKey));
        assertThat(server().card(invalid.id())).isEmpty();
    }

    @Test
    void manualRetryButtonWorksForFailedOperations() throws Exception {
        proxy.failAlways(anyWrite(), FaultProxy.Fault.ERROR_500_BEFORE);
        PawkitSyncClient client = client("laptop");
        LocalCard first = client.create(note("first"));
        LocalCard second = client.create(note("second"));
        List<Operation> queued = client.operations();
        assertThat(client.syncUntilIdle(Duration.ofSeconds(20)).failed()).isEqualTo(2);

        proxy.clearFaults();
        assertThat(client.retry(queued.get(0).seq())).isTrue();
        client.syncUntilIdle(Duration.ofSeconds(20));
        assertThat(client.failedOperations()).extracting(Operation::cardId).containsExactly(second.id());
        assertAppliedOnce(first.id(), List.of(queued.get(0).idempotencyKey()));

        assertThat(client.retryAllFailed()).isEqualTo(1);
        syncAll(client);
        // The retried operation kept its key: had a failed send applied, the retry would replay it.
        assertAppliedOnce(second.id(), List.of(queued.get(1).idempotencyKey()));
    }

    @Test
    void failedOperationsAreListedWithTheirLastErrorAndCanBeDiscarded() throws Exception {
        PawkitSyncClient client = client("laptop");
        LocalCard invalid = client.create(note("x").withTitle("t".repeat(1001)));
        client.syncUntilIdle(Duration.ofSeconds(20));
        client.update(invalid.id(), CardPatch.empty().notes("cannot apply without its create"));
        client.syncUntilIdle(Duration.ofSeconds(20));
        Operation failed = client.failedOperations().get(0);
        assertThat(failed.lastError()).contains("title");

        List<Operation> dropped = client.discard(failed.seq());

        // Discarding a create drops the card's later operations too; nothing else.
        assertThat(dropped).extracting(Operation::kind).containsExactly(OperationKind.CREATE, OperationKind.UPDATE);
        assertThat(client.operations()).isEmpty();
        assertThat(client.cards()).isEmpty();
        assertThat(client.status()).isEqualTo(new SyncStatus(0, 0, 0, false));
    }

    @Test
    void exponentialBackoffDelaysIncreaseCorrectly() throws Exception {
        proxy.failAlways(anyWrite(), FaultProxy.Fault.ERROR_500_BEFORE);
        RetryPolicy fiveRetries = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(8), 5, 2.0);
        PawkitSyncClient client = open(config("laptop").retryPolicy(fiveRetries)
                .clock(clock).sleeper(clock.sleeper()).random(() -> 0.999));
        client.create(note("backoff"));

        client.syncUntilIdle(Duration.ofMinutes(1));

        // Near the top of each jittered bound: 1, 2, 4, 8 s, then capped at 8 s.
        assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(999), Duration.ofMillis(1998),
                Duration.ofMillis(3996), Duration.ofMillis(7992), Duration.ofMillis(7992));
        assertThat(proxy.writes()).hasSize(6);
    }

    @Test
    void tooManyRequestsHonoursRetryAfter() throws Exception {
        proxy.fail(anyWrite(), FaultProxy.Fault.TOO_MANY_REQUESTS, 1);
        PawkitSyncClient client = open(config("laptop").retryPolicy(RetryPolicy.DEFAULT)
                .clock(clock).sleeper(clock.sleeper()).random(() -> 0.5));
        LocalCard card = client.create(note("rate limited"));
        String key = client.operations().get(0).idempotencyKey();
        syncAll(client);

        // Retry-After: 1 decides the wait, not the jittered backoff (which would be 0.5 s).
        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(1));
        assertAppliedOnce(card.id(), List.of(key));
    }

    @Test
    void requestInProgressIsRetriedWithTheSameKey() throws Exception {
        proxy.fail(anyWrite(), FaultProxy.Fault.IN_PROGRESS, 2);
        PawkitSyncClient client = client("laptop");
        LocalCard card = client.create(note("in progress"));
        String key = client.operations().get(0).idempotencyKey();
        syncAll(client);

        assertThat(proxy.writes()).extracting(FaultProxy.Exchange::status).containsExactly(409, 409, 201);
        assertAppliedOnce(card.id(), List.of(key));
    }

    @Test
    void acceptedWritesArePolledUntilDecided() throws Exception {
        proxy.fail(method("POST"), FaultProxy.Fault.RESPOND_ASYNC, 1);
        PawkitSyncClient client = client("laptop");
        LocalCard card = client.create(note("decided later"));
        String key = client.operations().get(0).idempotencyKey();
        syncAll(client);

        assertThat(proxy.exchanges()).extracting(FaultProxy.Exchange::method, FaultProxy.Exchange::status)
                .startsWith(tuple("POST", 202))
                .contains(tuple("GET", 201));
        assertThat(client.card(card.id()).orElseThrow().serverVersion()).isEqualTo(1);
        assertAppliedOnce(card.id(), List.of(key));
    }

    @Test
    void statusListenerReportsPendingRetryingAndFailedCounts() throws Exception {
        proxy.failAlways(e -> e.body().contains("doomed"), FaultProxy.Fault.ERROR_500_BEFORE);
        List<SyncStatus> reported = new CopyOnWriteArrayList<>();
        PawkitSyncClient client = open(singleRequests("laptop").clock(clock).sleeper(clock.sleeper()).random(() -> 0.5)
                .listener(new SyncListener() {
                    @Override
                    public void statusChanged(SyncStatus status) {
                        reported.add(status);
                    }
                }));
        client.create(note("doomed"));
        client.create(note("fine"));
        client.syncUntilIdle(Duration.ofMinutes(1));

        assertThat(reported).startsWith(new SyncStatus(1, 0, 0, false), new SyncStatus(2, 0, 0, false))
                .contains(new SyncStatus(0, 1, 0, false))
                .endsWith(new SyncStatus(0, 0, 1, false));
        assertThat(client.status()).isEqualTo(new SyncStatus(0, 0, 1, false));
    }
}
