package dev.pawkit.sync.client;

import java.io.IOException;
import java.net.http.HttpClient;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The sync client an application embeds. Every local change is first written to the durable queue
 * (with its idempotency key and, for a create, its card id), then shown at once through the
 * optimistic view ({@link #cards()}), then sent in the background. Nothing here blocks on the
 * network except {@link #drainNow()}, {@link #syncUntilIdle} and {@link #pull()}.
 *
 * <pre>{@code
 * try (PawkitSyncClient client = PawkitSyncClient.open(SyncConfig.builder(server, tokens, file).build())) {
 *     client.start();
 *     LocalCard card = client.create(CardFields.url("https://example.com").withTags("read"));
 *     client.update(card.id(), CardPatch.empty().title("Example"));
 * }
 * }</pre>
 */
public final class PawkitSyncClient implements AutoCloseable {

    private final SyncConfig config;
    private final LocalStore store;
    private final StatusReporter status;
    private final QueueDrainer drainer;
    private final BackgroundSync background;
    private final DeltaSync deltaSync;
    private final LiveSync live;
    private final ExecutorService senders;

    private PawkitSyncClient(SyncConfig config, LocalStore store) {
        this.config = config;
        this.store = store;
        String clientId = store.write(t -> {
            Optional<String> known = t.settings().get(SettingTable.CLIENT_ID);
            if (known.isPresent()) {
                return known.get();
            }
            String id = "pawkit-java-" + UUID.randomUUID();
            t.settings().put(SettingTable.CLIENT_ID, id);
            return id;
        });
        // HTTP/1.1: the API serves no HTTP/2, so the cleartext upgrade attempt would only add a round trip.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout()).build();
        CardApi api = new CardApi(http, config.server(), config.token(), config.requestTimeout(), clientId);
        this.status = new StatusReporter(store, config.listener());
        this.senders = Executors.newFixedThreadPool(config.maxInFlight(), runnable -> {
            Thread thread = new Thread(runnable, "pawkit-sync-send");
            thread.setDaemon(true);
            return thread;
        });
        OperationSender sender = new OperationSender(api, config.clock(), config.sleeper(), config.pollTimeout());
        ResultRecorder recorder = new ResultRecorder(store, config.retryPolicy(), config.clock(), config.random(),
                config.conflictResolver(), config.listener());
        BatchSender batches = new BatchSender(api, sender, config.clock());
        this.drainer = new QueueDrainer(store, sender, batches, recorder, status, config.clock(), config.maxInFlight(),
                config.batchSize(), senders);
        this.background = new BackgroundSync(drainer, config.clock(), config.drainInterval());
        this.deltaSync = new DeltaSync(api, store, config.pageSize(), config.listener());
        this.live = new LiveSync(deltaSync, new ChangeStreamReader(api, deltaSync, config.clock(),
                ChangeStreamReader.SILENCE_LIMIT),
                config.pollInterval());
    }

    /** Opens (or creates) the local store; what a previous run left queued is sent once {@link #start()}ed. */
    public static PawkitSyncClient open(SyncConfig config) {
        return new PawkitSyncClient(config, LocalStore.open(config.storeFile()));
    }

    /**
     * Starts the background work: the drain (now, the queue left by a previous run first, then after
     * each write and by timer) and, unless turned off ({@link SyncConfig#liveChanges}), following the
     * server's changes: a pull, then the live stream (polling the feed where the stream is refused).
     */
    public void start() {
        background.start();
        if (config.liveChanges()) {
            live.start();
        }
    }

    // ---- local changes: queued first, shown at once, sent later ----

    /** Queues a new card under a client-generated id; the card shows at once. */
    public LocalCard create(CardFields fields) {
        fields.checkCreatable();
        String cardId = UUID.randomUUID().toString();
        enqueue(OperationKind.CREATE, cardId, fields, null, 0, null);
        return card(cardId).orElseThrow();
    }

    /** Queues a change to the card as the user sees it now; a change that changes nothing is not queued. */
    public LocalCard update(String cardId, CardPatch patch) {
        store.write(t -> {
            LocalCard current = visible(t, cardId);
            CardPatch effective = patch.changesTo(current.fields());
            if (!effective.isEmpty()) {
                insert(t, OperationKind.UPDATE, cardId, null, effective, baseVersion(t, cardId), current.fields());
            }
            return null;
        });
        afterWrite();
        return card(cardId).orElseThrow();
    }

    /** Queues the card's deletion; it disappears from {@link #cards()} at once. */
    public void delete(String cardId) {
        store.write(t -> {
            LocalCard current = visible(t, cardId);
            insert(t, OperationKind.DELETE, cardId, null, null, baseVersion(t, cardId), current.fields());
            return null;
        });
        afterWrite();
    }

    /** Queues a request to fetch a url card's page metadata again (the "Refresh Metadata" button). */
    public void refreshMetadata(String cardId) {
        store.write(t -> {
            LocalCard current = visible(t, cardId);
            if (current.fields().type() != CardType.URL) {
                throw new IllegalArgumentException("only url cards have page metadata to refresh");
            }
            insert(t, OperationKind.REFRESH_METADATA, cardId, null, null, baseVersion(t, cardId), current.fields());
            return null;
        });
        afterWrite();
    }

    // ---- the local view ----

    /** Every live card: the server's last known state with queued changes on top. */
    public List<LocalCard> cards() {
        return store.read(t -> LocalView.all(t.cards().all(), t.operations().all()));
    }

    public Optional<LocalCard> card(String cardId) {
        return store.read(t -> LocalView.of(cardId, t.cards().find(cardId).orElse(null), t.operations().ofCard(cardId)));
    }

    // ---- the queue ----

    /** Every queued operation, oldest first. */
    public List<Operation> operations() {
        return store.read(t -> t.operations().all());
    }

    public List<Operation> failedOperations() {
        return operations().stream().filter(op -> op.status() == OperationStatus.FAILED).toList();
    }

    /** Sends a failed operation again, with a fresh retry budget and the same key (it may have applied). */
    public boolean retry(long operation) {
        boolean retried = store.write(t -> t.operations().markPendingAgain(operation));
        afterWrite();
        return retried;
    }

    /** Retries every failed operation; returns how many. */
    public int retryAllFailed() {
        int retried = store.write(t -> {
            int count = 0;
            for (Operation op : t.operations().all()) {
                if (op.status() == OperationStatus.FAILED && t.operations().markPendingAgain(op.seq())) {
                    count++;
                }
            }
            return count;
        });
        afterWrite();
        return retried;
    }

    /**
     * Drops a failed operation at the user's request. Discarding a create also drops the card's
     * later operations, which cannot apply without it. Returns what was dropped.
     */
    public List<Operation> discard(long operation) {
        List<Operation> dropped = store.write(t -> {
            Operation op = t.operations().find(operation)
                    .orElseThrow(() -> new NoSuchElementException("no queued operation " + operation));
            if (op.status() != OperationStatus.FAILED) {
                throw new IllegalStateException("only failed operations can be discarded; " + operation + " is "
                        + op.status());
            }
            List<Operation> gone = new ArrayList<>();
            for (Operation other : t.operations().ofCard(op.cardId())) {
                if (other.seq() == op.seq() || (op.kind() == OperationKind.CREATE && other.seq() > op.seq())) {
                    t.operations().delete(other.seq());
                    gone.add(other);
                }
            }
            return gone;
        });
        afterWrite();
        return dropped;
    }

    public SyncStatus status() {
        return status.current();
    }

    /** The conflict journal, oldest first. */
    public List<ResolvedConflict> conflicts() {
        return store.read(t -> t.conflicts().all());
    }

    // ---- talking to the server now ----

    /** Sends everything due now, in this thread; scheduled retries are left for later. */
    public DrainReport drainNow() {
        return drainer.drain();
    }

    /**
     * Drains, waiting (with the configured sleeper) for scheduled retries, until nothing is left to
     * send, the server is unreachable, or {@code maxWait} has passed. Failed operations stay failed.
     */
    public SyncStatus syncUntilIdle(Duration maxWait) throws InterruptedException {
        Instant deadline = config.clock().instant().plus(maxWait);
        while (true) {
            DrainReport report = drainer.drain();
            if (report.offline() || report.nextRetry().isEmpty()) {
                return status.current();
            }
            Instant now = config.clock().instant();
            Instant next = report.nextRetry().get();
            if (next.isAfter(deadline)) {
                return status.current();
            }
            if (next.isAfter(now)) {
                config.sleeper().sleep(Duration.between(now, next));
            }
        }
    }

    /** Pulls the server's changes since the last pull into the cache; returns how many cards changed. */
    public int pull() throws IOException, InterruptedException {
        return deltaSync.pull();
    }

    @Override
    public void close() {
        live.close();
        background.close();
        senders.shutdownNow();
        store.close();
    }

    // ---- internals ----

    private void enqueue(OperationKind kind, String cardId, CardFields fields, CardPatch patch, long baseVersion,
            CardFields baseFields) {
        store.write(t -> {
            insert(t, kind, cardId, fields, patch, baseVersion, baseFields);
            return null;
        });
        afterWrite();
    }

    private void insert(LocalStore.Tables t, OperationKind kind, String cardId, CardFields fields, CardPatch patch,
            long baseVersion, CardFields baseFields) throws SQLException {
        // The key is made once, here, and stored with the operation: every send of it reuses it.
        t.operations().insert(kind, cardId, UUID.randomUUID().toString(), fields, patch, baseVersion, baseFields,
                config.clock().instant());
    }

    private void afterWrite() {
        status.publish();
        background.wake();
    }

    private static LocalCard visible(LocalStore.Tables t, String cardId) throws SQLException {
        return LocalView.of(cardId, t.cards().find(cardId).orElse(null), t.operations().ofCard(cardId))
                .orElseThrow(() -> new NoSuchElementException("no card " + cardId + " here (pull first?)"));
    }

    /** The server version a change is made on now: the cached one, 0 while the card's create is queued. */
    private static long baseVersion(LocalStore.Tables t, String cardId) throws SQLException {
        return t.cards().find(cardId).filter(card -> !card.deleted()).map(ServerCard::version).orElse(0L);
    }
}
