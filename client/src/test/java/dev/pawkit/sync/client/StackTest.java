package dev.pawkit.sync.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.testsupport.CommittedLog;
import dev.pawkit.sync.testsupport.EmbeddedStack;
import dev.pawkit.sync.testsupport.Tokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the tests against the real server: the shared {@link TestStack}, a fresh fault proxy in
 * front of it, a user of its own per test, client stores in a temporary folder, and fast retries
 * (20 ms base, 160 ms cap) so failure paths take milliseconds.
 */
@ExtendWith(TestStack.class)
abstract class StackTest {

    static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(160), 3, 2.0);

    /** Set by {@link TestStack} before the class's tests run. */
    static EmbeddedStack stack;

    @TempDir
    Path dir;

    final String user = "client-test-" + UUID.randomUUID();
    FaultProxy proxy;
    private final List<PawkitSyncClient> clients = new ArrayList<>();

    @BeforeEach
    void openProxy() {
        proxy = new FaultProxy(stack.uri());
    }

    @AfterEach
    void closeClients() {
        clients.forEach(PawkitSyncClient::close);
        proxy.close();
    }

    /** A client configuration for one device of this test's user, through the proxy. */
    SyncConfig.Builder config(String device) {
        String token = Tokens.forUser(user);
        return SyncConfig.builder(proxy.uri(), () -> token, dir.resolve(device + ".db"))
                .retryPolicy(FAST)
                .connectTimeout(Duration.ofSeconds(1))
                .requestTimeout(Duration.ofSeconds(10))
                .drainInterval(Duration.ofMillis(100));
    }

    /**
     * One operation per request, for tests whose faults and checks are per request and key (the
     * proxy sees a batch as one request without a key of its own). Batches: {@code BatchDrainTest}.
     */
    SyncConfig.Builder singleRequests(String device) {
        return config(device).batchSize(1);
    }

    PawkitSyncClient open(SyncConfig.Builder config) {
        PawkitSyncClient client = PawkitSyncClient.open(config.build());
        clients.add(client);
        return client;
    }

    PawkitSyncClient client(String device) {
        return open(config(device));
    }

    ServerReads server() {
        return new ServerReads(stack.uri(), user);
    }

    /** The server's committed log: the ground truth for "nothing lost, nothing applied twice". */
    static CommittedLog committedLog() {
        return new CommittedLog(stack.bootstrapServers());
    }

    /** Sends everything and asserts nothing is left or failed. */
    static void syncAll(PawkitSyncClient client) throws InterruptedException {
        SyncStatus status = client.syncUntilIdle(Duration.ofSeconds(30));
        assertThat(status).isEqualTo(new SyncStatus(0, 0, 0, false));
    }

    static CardFields note(String content) {
        return CardFields.note(CardType.MD_NOTE, content);
    }

    /**
     * After merging (changes never sent are folded into the card's earlier operation, which keeps its
     * key): the card's events were caused by some of these queued operations, each at most once, in
     * queue order, starting with the first. What they amount to is checked on the card itself.
     */
    void assertMergedAppliedOnce(String cardId, List<String> queuedKeys) {
        List<String> applied = server().history(cardId).stream().map(ServerReads.Event::idempotencyKey).toList();
        assertThat(applied).doesNotHaveDuplicates();
        if (!applied.isEmpty()) {
            assertThat(queuedKeys).containsSubsequence(applied);
            assertThat(applied.get(0)).isEqualTo(queuedKeys.get(0));
        }
    }

    /** The card's events on the server were caused by exactly these operations, each once, in order. */
    void assertAppliedOnce(String cardId, List<String> idempotencyKeys) {
        assertThat(server().history(cardId)).extracting(ServerReads.Event::idempotencyKey)
                .containsExactlyElementsOf(idempotencyKeys);
    }
}
