package dev.pawkit.sync.infra;

import dev.pawkit.sync.schemas.sealing.KeyMaterial;
import dev.pawkit.sync.schemas.sealing.KeysUnavailableException;
import dev.pawkit.sync.schemas.sealing.UserKey;
import dev.pawkit.sync.schemas.sealing.UserKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users' data keys in the compacted topic {@link PawkitTopics#USER_KEYS}: one record per key,
 * keyed {@code <user>/<key id>}, its value the key wrapped under the master key; a tombstone
 * destroys it, and compaction then removes its bytes from the broker's disks.
 *
 * <p>Every process reads the whole topic on a thread of its own and keeps it in memory. A key is
 * made by whichever process meets the user's first write and is appended, acknowledged by all
 * in-sync replicas, before anything is sealed under it. Two processes meeting that first write at
 * once make two keys; both stay valid (a sealed value names its key), so no coordination is needed.
 * A reader that meets a key id it does not know reads the topic up to its end before it concludes
 * the key was destroyed.
 */
public final class KafkaUserKeys implements UserKeys, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaUserKeys.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(15);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final KeyMaterial material;
    private final Producer<String, byte[]> producer;
    private final Consumer<String, byte[]> consumer;
    /** user -> key id -> key. */
    private final Map<String, Map<String, UserKey>> keys = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> catchUpRequests = new ConcurrentLinkedQueue<>();
    private final Thread reader;
    private volatile boolean running = true;

    public KafkaUserKeys(KafkaClientSettings kafka, KeyMaterial material) {
        this.material = material;
        this.producer = new KafkaProducer<>(kafka.producer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // A user's first write waits for its key: bounded like the command's own append,
                // so that an unreachable broker is a 503 in seconds, not a minute's hang.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) STORE_TIMEOUT.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) STORE_TIMEOUT.toMillis(),
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) STORE_TIMEOUT.toMillis() * 2,
                ProducerConfig.CLIENT_ID_CONFIG, "pawkit-user-keys-writer")),
                new StringSerializer(), new ByteArraySerializer());
        this.consumer = new KafkaConsumer<>(kafka.consumer(Map.of(
                // Assigned, not subscribed: every process reads every key, no group needed.
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, "pawkit-user-keys-reader")),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(PawkitTopics.USER_KEYS, Duration.ofSeconds(30))
                .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        if (partitions.isEmpty()) {
            // Without a partition the reader could never read (it would fail and log on every turn
            // of its loop, for ever): no key store, and nothing left running.
            consumer.close();
            producer.close();
            throw new KeysUnavailableException("the key topic " + PawkitTopics.USER_KEYS + " does not exist", null);
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.reader = new Thread(this::read, "pawkit-user-keys");
        reader.setDaemon(true);
        reader.start();
        catchUp();
    }

    /**
     * The keys for reading only, with no thread and nothing to close: an auditor's or a test's view
     * of sealed data. Reads the topic to its end when asked for a key it does not know yet.
     */
    public static UserKeys snapshot(KafkaClientSettings kafka, KeyMaterial material) {
        return new KeySnapshot(kafka, material);
    }

    /**
     * Reads the key topic from its start to its end now into {@code keys}. The broker answers each
     * fetch at once ({@code fetch.max.wait.ms} 10): closing waits for the fetch in flight, which
     * with the default long poll made every read-to-the-end cost half a second more.
     */
    static void readAll(KafkaClientSettings kafka, KeyMaterial material, Map<String, Map<String, UserKey>> keys) {
        try (Consumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumer(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(PawkitTopics.USER_KEYS, Duration.ofSeconds(30))
                    .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    apply(keys, material, record);
                }
            }
        }
    }

    @Override
    public UserKey current(String userId) {
        Optional<UserKey> known = any(userId);
        if (known.isPresent()) {
            return known.get();
        }
        catchUp();
        return any(userId).orElseGet(() -> create(userId));
    }

    @Override
    public Optional<UserKey> find(String userId, String keyId) {
        Optional<UserKey> known = known(userId, keyId);
        if (known.isPresent()) {
            return known;
        }
        catchUp();
        return known(userId, keyId);
    }

    @Override
    public boolean known(String userId) {
        return !keys.getOrDefault(userId, Map.of()).isEmpty();
    }

    @Override
    public Set<String> keyIds(String userId) {
        catchUp();
        return Set.copyOf(keys.getOrDefault(userId, Map.of()).keySet());
    }

    @Override
    public void destroy(String userId) {
        catchUp();
        List<String> keyIds = new ArrayList<>(keys.getOrDefault(userId, Map.of()).keySet());
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (String keyId : keyIds) {
            sent.add(send(new ProducerRecord<>(PawkitTopics.USER_KEYS, recordKey(userId, keyId), null)));
        }
        sent.forEach(KafkaUserKeys::await);
        // Forgotten here at once; the other processes forget when they read the tombstones.
        keys.remove(userId);
        log.info("destroyed {} key(s) of user {}", keyIds.size(), userId);
    }

    private UserKey create(String userId) {
        KeyMaterial.Wrapped made = material.generateWrapped(userId);
        await(send(new ProducerRecord<>(PawkitTopics.USER_KEYS, recordKey(userId, made.key().keyId()), made.bytes())));
        keys.computeIfAbsent(userId, user -> new ConcurrentHashMap<>()).putIfAbsent(made.key().keyId(), made.key());
        return made.key();
    }

    private Optional<UserKey> any(String userId) {
        return keys.getOrDefault(userId, Map.of()).values().stream().findFirst();
    }

    private Optional<UserKey> known(String userId, String keyId) {
        return Optional.ofNullable(keys.getOrDefault(userId, Map.of()).get(keyId));
    }

    /** Returns once the reader has read everything the topic held when this was called. */
    private void catchUp() {
        CompletableFuture<Void> request = new CompletableFuture<>();
        catchUpRequests.add(request);
        consumer.wakeup();
        try {
            request.get(CATCH_UP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new KeysUnavailableException("the key topic could not be read to its end in " + CATCH_UP, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the key topic", e);
        } catch (ExecutionException e) {
            throw new KeysUnavailableException("reading the key topic failed", e.getCause());
        }
    }

    private void read() {
        List<CompletableFuture<Void>> arrived = new ArrayList<>();
        List<Pending> pending = new ArrayList<>();
        while (running) {
            try {
                // Taken off the queue first, so that a wakeup in endOffsets loses no request.
                for (CompletableFuture<Void> request; (request = catchUpRequests.poll()) != null; ) {
                    arrived.add(request);
                }
                if (!arrived.isEmpty()) {
                    Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
                    arrived.forEach(request -> pending.add(new Pending(request, ends)));
                    arrived.clear();
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(pending.isEmpty() ? 500 : 20))) {
                    apply(record);
                }
                pending.removeIf(this::reached);
            } catch (WakeupException e) {
                // A catch-up request: taken at the top of the loop.
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("reading the key topic failed; retrying", e);
                    arrived.forEach(request -> request.completeExceptionally(e));
                    pending.forEach(p -> p.request.completeExceptionally(e));
                    arrived.clear();
                    pending.clear();
                    pauseBeforeRetrying();
                }
            }
        }
        consumer.close();
    }

    /** A failure that repeats at once (the broker away) is retried once a second, not in a loop that fills the log. */
    private void pauseBeforeRetrying() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private boolean reached(Pending pending) {
        for (Map.Entry<TopicPartition, Long> end : pending.ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        pending.request.complete(null);
        return true;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        apply(keys, material, record);
    }

    private static void apply(Map<String, Map<String, UserKey>> keys, KeyMaterial material,
            ConsumerRecord<String, byte[]> record) {
        int slash = record.key().lastIndexOf('/');
        String userId = record.key().substring(0, slash);
        String keyId = record.key().substring(slash + 1);
        if (record.value() == null) {
            Map<String, UserKey> userKeys = keys.get(userId);
            if (userKeys != null) {
                userKeys.remove(keyId);
                keys.remove(userId, Map.of());
            }
            return;
        }
        keys.computeIfAbsent(userId, user -> new ConcurrentHashMap<>())
                .putIfAbsent(keyId, material.unwrap(userId, keyId, record.value()));
    }


    private CompletableFuture<?> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<Object> sent = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    sent.completeExceptionally(error);
                } else {
                    sent.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            // send() itself throws when metadata cannot be fetched within max.block.ms.
            sent.completeExceptionally(e);
        }
        return sent;
    }

    private static void await(CompletableFuture<?> sent) {
        try {
            sent.get(STORE_TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing a key", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KeysUnavailableException("storing a key in " + PawkitTopics.USER_KEYS + " failed", e);
        }
    }

    /** The key of a user's key in the topic: a tombstone under it destroys that key. */
    public static String recordKey(String userId, String keyId) {
        return userId + "/" + keyId;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }

    private record Pending(CompletableFuture<Void> request, Map<TopicPartition, Long> ends) {
    }
}
