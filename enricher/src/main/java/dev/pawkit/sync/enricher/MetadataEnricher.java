package dev.pawkit.sync.enricher;

import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.enricher.fetch.Backoff;
import dev.pawkit.sync.enricher.fetch.FetchOutcome;
import dev.pawkit.sync.enricher.fetch.HostResolver;
import dev.pawkit.sync.enricher.fetch.MetadataFetcher;
import dev.pawkit.sync.enricher.fetch.PageFetcher;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.infra.CommandLog;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.sealing.UserKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata enricher: a consumer of the card events, beside the projector and never in its way
 * (its own group, its own threads). In order:
 * <ol>
 *   <li>read committed events only: an aborted projector transaction never asks for a fetch;</li>
 *   <li>{@link FetchRequest#of} picks the events that ask for a page (url card created, url
 *       changed, refresh); every other event is finished at once;</li>
 *   <li>the requests wait in a {@link FairQueue}: hosts take turns, a host's users take turns, at
 *       most {@code hostConcurrency} fetches per host at once; reading pauses while
 *       {@code maxInFlight} requests are unanswered, so memory stays bounded;</li>
 *   <li>a fixed set of workers fetch one attempt at a time ({@link MetadataFetcher}: policy, limits),
 *       asking the host's circuit breaker first ({@link HostBreakers}: a failing host's pages are
 *       answered at once, untried); a retry goes back to the queue for later, holding no worker;</li>
 *   <li>append the answer ({@link MetadataPublisher}; the worker goes on while fewer than
 *       {@value #MAX_UNACKNOWLEDGED} answers wait for the broker) and, once the broker acknowledged
 *       it, count the event answered;</li>
 *   <li>commit each partition up to its first unanswered event ({@link OffsetTracker}), however
 *       the queue reordered the fetches.</li>
 * </ol>
 * At least once in (a crash re-reads from the last commit), idempotent commands out (one key per
 * request, and the decider applies only the answer the card still waits for): one effect.
 */
public final class MetadataEnricher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataEnricher.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Answers sent and not yet acknowledged, at most. The producer sends a partition's records in
     * the order they were handed to it: without a bound, a paused host's thousands of "not tried"
     * answers would all be queued there ahead of a new card's answer, and the fair order of the
     * queue would be lost at the last step. With it, a new answer waits behind this many at most.
     */
    private static final int MAX_UNACKNOWLEDGED = 256;

    private final EnricherConfig config;
    private final MetadataFetcher fetcher;
    private final Clock clock;
    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final MetadataPublisher publisher;
    private final ExecutorService workers;
    private final BlockingFairQueue<PendingFetch> queue;
    private final HostBreakers breakers;
    private final Deserializer<EventEnvelope> events;
    private final UserKeys keys;
    private final OffsetTracker offsets = new OffsetTracker();
    /** Answered records, handed from the workers to the poll thread, which alone touches the consumer. */
    private final ConcurrentLinkedQueue<Answered> answered = new ConcurrentLinkedQueue<>();
    private final AtomicInteger assigned = new AtomicInteger();
    private final Thread pollThread;
    /** Pages answered with metadata and for good without, since start: what an operator watches. */
    private final LongAdder pagesFetched = new LongAdder();
    private final LongAdder pagesFailed = new LongAdder();
    private final Semaphore unacknowledged = new Semaphore(MAX_UNACKNOWLEDGED);

    private volatile boolean stopping;
    private volatile boolean halted;
    private boolean closed;
    private Instant lastCommit = Instant.EPOCH;
    private boolean paused;

    private record Answered(TopicPartition partition, long offset) {
    }

    /** A request read from {@code partition} at {@code offset}, to be tried for the {@code attempt}th time. */
    private record PendingFetch(FetchRequest request, TopicPartition partition, long offset, int attempt) {
    }

    /**
     * The client id of this enricher's consumer and producer: the operator's
     * {@code spring.kafka.client-id} (broker quotas and logs are keyed by it) when given, then the
     * group id and this instance. The instance part stays: two clients of one JVM with the same id
     * clash in JMX and in Kafka's metrics (tests run several enrichers in one JVM).
     */
    static String clientId(KafkaClientSettings kafka, String groupId, Object instance) {
        Object configured = kafka.consumer(Map.of()).get(ConsumerConfig.CLIENT_ID_CONFIG);
        String prefix = configured == null || configured.toString().isBlank() ? groupId : configured + "-" + groupId;
        return prefix + "-" + Integer.toHexString(System.identityHashCode(instance));
    }

    /** @param serdes the system's serdes: an erased user's events read as nothing, so none of their pages is fetched */
    public MetadataEnricher(EnricherConfig config, PawkitSerdes serdes, MetadataFetcher fetcher, Clock clock) {
        this.config = config;
        this.events = serdes.events().deserializer();
        this.keys = serdes.keys();
        this.fetcher = fetcher;
        this.clock = clock;
        String clientId = clientId(config.kafka(), config.groupId(), this);
        this.consumer = new KafkaConsumer<>(config.kafka().consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, config.groupId(),
                ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                // Offsets are committed by hand, and only up to what was answered.
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.startFrom() == EnricherConfig.StartFrom.EARLIEST ? "earliest" : "latest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500)),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(config.kafka().producer(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                // Idempotent producer: the client's own retries never duplicate an append.
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000)),
                new StringSerializer(), new ByteArraySerializer());
        this.publisher = new MetadataPublisher(new CommandLog(producer, config.partitions(), serdes), producer,
                serdes.sealer());
        this.queue = new BlockingFairQueue<>(config.hostConcurrency(), clock);
        this.breakers = new HostBreakers(config.hostPause(), clock);
        AtomicInteger workerNumber = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(config.concurrency(), task -> {
            Thread thread = new Thread(task, "pawkit-enricher-fetch-" + workerNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.pollThread = new Thread(this::run, "pawkit-enricher-poll");
    }

    /** An enricher fetching over HTTP with real DNS, clock, randomness and sleeps. */
    public static MetadataEnricher create(EnricherConfig config, PawkitSerdes serdes) {
        Clock clock = Clock.systemUTC();
        var fetch = config.fetch();
        MetadataFetcher fetcher = new MetadataFetcher(
                new PageFetcher(config.policy(), HostResolver.system(), fetch, clock),
                fetch.retries(),
                new Backoff(fetch.backoffBase(), fetch.backoffMax(), fetch.retryAfterCap(),
                        () -> ThreadLocalRandom.current().nextDouble()));
        return new MetadataEnricher(config, serdes, fetcher, clock);
    }

    public MetadataEnricher start() {
        for (int i = 0; i < config.concurrency(); i++) {
            workers.execute(this::work);
        }
        pollThread.start();
        return this;
    }

    /**
     * Its consumer, for the client's own metrics only (request rates, lag per partition): the poll
     * thread alone uses it otherwise.
     */
    public Consumer<?, ?> kafkaConsumer() {
        return consumer;
    }

    /** Its producer (answers and dead letters), for the client's own metrics only. */
    public Producer<?, ?> kafkaProducer() {
        return producer;
    }

    /** Event partitions this instance currently reads; 0 before it joined its group. */
    public int assignedPartitions() {
        return assigned.get();
    }

    /** True while the poll loop runs: false before start, after close, or after an unexpected error stopped it. */
    public boolean isRunning() {
        return pollThread.isAlive() && !stopping;
    }

    /** Pages fetched with metadata since start. */
    public long fetchedCount() {
        return pagesFetched.sum();
    }

    /** Pages that ended without metadata since start (after the retries): recorded on the card as failed. */
    public long failedCount() {
        return pagesFailed.sum();
    }

    /**
     * Stops: fetches in flight are abandoned (their events will be read again), what was answered
     * is committed.
     */
    @Override
    public void close() {
        stop(false);
    }

    /**
     * Stops as a crash would: nothing more is committed, and answers not yet acknowledged may or
     * may not reach the log. The next instance of the group reads again from the last commit.
     */
    public void halt() {
        stop(true);
    }

    private void stop(boolean asCrash) {
        halted = asCrash;
        stopping = true;
        consumer.wakeup();
        try {
            if (pollThread.isAlive()) {
                pollThread.join(CLOSE_TIMEOUT.plusSeconds(10).toMillis());
            } else {
                closeClients();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            consumer.subscribe(List.of(PawkitTopics.CARD_EVENTS), new Rebalance());
            while (!stopping) {
                try {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                        read(record);
                    }
                    takeAnswered();
                    if (Duration.between(lastCommit, clock.instant()).compareTo(config.commitInterval()) >= 0) {
                        commit(offsets.takeCommittable());
                        lastCommit = clock.instant();
                    }
                    pauseWhenBusy();
                } catch (WakeupException e) {
                    // stop() woke the consumer; the loop condition ends it.
                } catch (KafkaException e) {
                    LOG.warn("enricher poll failed, trying again: {}", e.toString());
                    Thread.sleep(1000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("enricher stopped on an unexpected error", e);
        } finally {
            closeClients();
        }
    }

    /** Finishes an event that asks for nothing at once; queues one that asks for a page. */
    private void read(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        offsets.track(partition, record.offset());
        Optional<FetchRequest> request;
        try {
            EventEnvelope envelope = events.deserialize(record.topic(), record.value());
            // null: the owner was erased; their pages are never fetched.
            request = envelope == null ? Optional.empty() : FetchRequest.of(envelope.event());
        } catch (RuntimeException e) {
            // A value this version cannot read asks nothing of it; stopping here would stall the partition.
            LOG.error("skipping unreadable event at {}@{}: {}", partition, record.offset(), e.toString());
            request = Optional.empty();
        }
        if (request.isEmpty()) {
            offsets.finish(partition, record.offset());
            return;
        }
        FetchRequest fetch = request.get();
        queue.add(fetch.host(), fetch.userId(), new PendingFetch(fetch, partition, record.offset(), 1));
    }

    /** A worker: takes the next fetch in turn, until the enricher stops. */
    private void work() {
        try {
            while (!stopping) {
                FairQueue.Taken<PendingFetch> taken = queue.take();
                String host = taken.host();
                if (ownerErased(taken.fetch())) {
                    queue.done(host);
                    continue;
                }
                boolean asked = false;
                Optional<FetchOutcome> outcome;
                try {
                    asked = breakers.tryAcquire(host);
                    outcome = asked ? attempt(host, taken.fetch())
                            : Optional.of(new FetchOutcome.Failed(breakers.notTried(host)));
                } finally {
                    // The host's slot is free once it was asked: publishing the answer is not its business.
                    queue.done(host);
                }
                if (outcome.isPresent() && !stopping) {
                    answer(taken.fetch(), outcome.get(), asked);
                }
            }
        } catch (InterruptedException e) {
            // Stopping: what is unanswered stays uncommitted; the next instance asks again.
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One attempt, the host's breaker having let it be asked: the final outcome, or empty when the
     * fetch went back to the queue for a retry later. Tells the breaker how the host did.
     */
    private Optional<FetchOutcome> attempt(String host, PendingFetch pending) throws InterruptedException {
        FetchRequest request = pending.request();
        long started = System.nanoTime();
        MetadataFetcher.Attempt attempt;
        try {
            attempt = fetcher.attempt(request.url(), pending.attempt());
        } catch (InterruptedException e) {
            breakers.release(host);
            throw e;
        } catch (RuntimeException e) {
            breakers.release(host);
            // A bug reading one page must not leave its card pending for ever.
            // The card and host only: a user's url is theirs, and the log outlives their erasure.
            LOG.error("fetching the page of card {} from {} failed unexpectedly", request.cardId(), host, e);
            return Optional.of(new FetchOutcome.Failed("could not read the page (" + e.getClass().getSimpleName() + ")"));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (attempt.hostFailed()) {
            breakers.failed(host, took);
        } else {
            breakers.answered(host, took);
        }
        if (attempt instanceof MetadataFetcher.Attempt.RetryIn retry) {
            queue.addLater(host, request.userId(),
                    new PendingFetch(request, pending.partition(), pending.offset(), pending.attempt() + 1),
                    clock.instant().plus(retry.delay()));
            return Optional.empty();
        }
        return Optional.of(((MetadataFetcher.Attempt.Answer) attempt).outcome());
    }

    /** Appends the answer (once fewer than the bound are unacknowledged); once the broker has it, reports the offset answered. */
    private void answer(PendingFetch pending, FetchOutcome outcome, boolean asked) throws InterruptedException {
        FetchRequest request = pending.request();
        if (ownerErased(pending)) {
            return;
        }
        unacknowledged.acquire();
        publisher.publish(request, outcome, clock.instant()).thenRun(() -> {
            unacknowledged.release();
            (outcome instanceof FetchOutcome.Fetched ? pagesFetched : pagesFailed).increment();
            answered.add(new Answered(pending.partition(), pending.offset()));
        });
        if (outcome instanceof FetchOutcome.Failed failed) {
            // The card and host, never the url: the logs are files under the data directory that a
            // user's erasure does not reach. The reason names at most the host. A paused host's
            // pages are many and alike: one line each only when asked for.
            if (!asked) {
                LOG.debug("no metadata for card {} of {} from {}: {}", request.cardId(), request.userId(),
                        request.host(), failed.reason());
            } else {
                LOG.info("no metadata for card {} of {} from {}: {}", request.cardId(), request.userId(),
                        request.host(), failed.reason());
            }
        }
    }

    /**
     * Whether the card's owner was erased since their event was read (a fetch waits in the queue,
     * and takes time): then their page is not fetched, or its answer not sent, which would make
     * them a new key; the event counts as answered. Asked of the keys this process has read (their
     * reader follows the key topic as it is written), never of the broker: a fetch must not wait
     * for it. A user who wrote again since has keys again, and is fetched for.
     */
    private boolean ownerErased(PendingFetch pending) {
        String user = pending.request().userId();
        if (keys.known(user)) {
            return false;
        }
        LOG.info("not fetching the page of card {}: its owner {} was erased", pending.request().cardId(), user);
        answered.add(new Answered(pending.partition(), pending.offset()));
        return true;
    }

    private void takeAnswered() {
        for (Answered done = answered.poll(); done != null; done = answered.poll()) {
            offsets.finish(done.partition(), done.offset());
        }
    }

    private void commit(Map<TopicPartition, Long> nextOffsets) {
        if (nextOffsets.isEmpty() || halted) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        nextOffsets.forEach((partition, next) -> commits.put(partition, new OffsetAndMetadata(next)));
        try {
            consumer.commitSync(commits, CLOSE_TIMEOUT);
        } catch (WakeupException e) {
            // Stopping: try once more so that what was answered is not fetched again.
            consumer.commitSync(commits, CLOSE_TIMEOUT);
        } catch (KafkaException e) {
            // A rebalance took the partition: its new owner reads again from the last commit.
            LOG.warn("could not commit enricher offsets {}: {}", nextOffsets, e.toString());
        }
    }

    /** Stops reading while too many requests wait for a worker; reads on once half of them are answered. */
    private void pauseWhenBusy() {
        int unanswered = offsets.unfinished();
        if (!paused && unanswered >= config.maxInFlight()) {
            consumer.pause(consumer.assignment());
            paused = true;
        } else if (paused && unanswered <= config.maxInFlight() / 2) {
            consumer.resume(consumer.paused());
            paused = false;
        }
    }

    private synchronized void closeClients() {
        if (closed) {
            return;
        }
        closed = true;
        workers.shutdownNow();
        publisher.close();
        try {
            workers.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (!halted) {
                takeAnswered();
                commit(offsets.takeCommittable());
            }
        } catch (RuntimeException e) {
            LOG.warn("could not commit enricher offsets on close: {}", e.toString());
        } finally {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            producer.close(halted ? Duration.ZERO : CLOSE_TIMEOUT);
            assigned.set(0);
        }
    }

    /** Commits what was answered before a partition goes to another instance; starts a new group where asked. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Their waiting requests are the new owner's to answer, from the last commit.
            queue.removeIf(pending -> partitions.contains(pending.partition()));
            takeAnswered();
            commit(offsets.takeCommittable(partitions));
            offsets.forget(partitions);
            assigned.set(consumer.assignment().size() - partitions.size());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            queue.removeIf(pending -> partitions.contains(pending.partition()));
            offsets.forget(partitions);
            assigned.set(consumer.assignment().size() - partitions.size());
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            commitStartingPoints(partitions);
            if (paused) {
                consumer.pause(partitions);
            }
            assigned.set(consumer.assignment().size());
        }

        /**
         * A group's first position (the log's end when starting from latest) is committed at once:
         * otherwise a crash before the first answer would start the next instance at the then end,
         * skipping every request in between.
         */
        private void commitStartingPoints(Collection<TopicPartition> partitions) {
            if (halted || partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            Map<TopicPartition, Long> starts = new HashMap<>();
            for (TopicPartition partition : partitions) {
                if (committed.get(partition) == null) {
                    starts.put(partition, consumer.position(partition));
                }
            }
            commit(starts);
        }
    }
}
