package dev.pawkit.sync.api.write;

import dev.pawkit.sync.runtime.KafkaMeters;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.domain.log.OutcomeEnvelope;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The reply path. Every API instance reads every partition of the results topic (no consumer
 * group, from the end at start-up) and completes the requests it is waiting for; the rest it
 * ignores. So any instance can append a command and still get its outcome, whichever projector
 * instance decided it. Reads committed outcomes only: a decision is answered once its transaction
 * (store, events, outcome) has committed, never from an attempt that may still abort.
 */
@Component
public class CommandResultListener implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CommandResultListener.class);

    private final Map<String, CompletableFuture<OutcomeEnvelope>> waiting = new ConcurrentHashMap<>();
    private final List<Consumer<OutcomeEnvelope>> observers = new CopyOnWriteArrayList<>();
    private final KafkaConsumer<String, OutcomeEnvelope> consumer;
    private final Thread thread;
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final AutoCloseable consumerMeters;
    private volatile boolean running = true;

    CommandResultListener(KafkaClientSettings kafka, KafkaMeters meters, PawkitSerdes serdes) throws InterruptedException {
        this.consumer = new KafkaConsumer<>(kafka.consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20)),
                new StringDeserializer(), serdes.outcomes().deserializer());
        // Its lag per results partition shows whether replies keep up (kafka_consumer_fetch_manager_records_lag).
        this.consumerMeters = meters.bind(consumer, "command-results");
        this.thread = new Thread(this::run, "command-results");
        this.thread.setDaemon(true);
        this.thread.start();
        // Requests may only be accepted once the consumer sits at the end: an outcome written
        // after that point is never missed.
        if (!positioned.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("command results consumer could not position itself");
        }
    }

    /** Registers interest in a command's outcome; call before appending the command. */
    public CompletableFuture<OutcomeEnvelope> expect(String commandId) {
        CompletableFuture<OutcomeEnvelope> future = new CompletableFuture<>();
        waiting.put(commandId, future);
        future.whenComplete((outcome, error) -> waiting.remove(commandId));
        return future;
    }

    /**
     * Hands every outcome this instance reads, of every user, to {@code observer}, on the reply
     * thread: it must return at once (the live change streams only enqueue).
     */
    public void observeAll(Consumer<OutcomeEnvelope> observer) {
        observers.add(observer);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(PawkitTopics.COMMAND_RESULTS, Duration.ofSeconds(60))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            positioned.countDown();
            while (running) {
                ConsumerRecords<String, OutcomeEnvelope> outcomes;
                try {
                    outcomes = consumer.poll(Duration.ofMillis(500));
                } catch (RecordDeserializationException e) {
                    // An outcome this version cannot read (written by a newer one) must not stop the
                    // reply path for every request after it: its request gets 202 and its status URL.
                    log.error("skipping unreadable outcome at {}@{}", e.topicPartition(), e.offset(), e);
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                for (ConsumerRecord<String, OutcomeEnvelope> record : outcomes) {
                    if (record.value() == null) {
                        // Sealed under a key destroyed since: an erased user's; nobody waits for it.
                        continue;
                    }
                    CompletableFuture<OutcomeEnvelope> future = waiting.get(record.key());
                    if (future != null) {
                        future.complete(record.value());
                    }
                    notifyObservers(record.value());
                }
            }
        } catch (WakeupException e) {
            // Closing.
        } catch (RuntimeException e) {
            log.error("command results consumer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void notifyObservers(OutcomeEnvelope outcome) {
        for (Consumer<OutcomeEnvelope> observer : observers) {
            try {
                observer.accept(outcome);
            } catch (RuntimeException e) {
                // An observer's bug must not stop the replies every waiting request depends on.
                log.error("outcome observer failed on {}", outcome.commandId(), e);
            }
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        running = false;
        KafkaMeters.unbind(consumerMeters);
        consumer.wakeup();
        thread.join(10_000);
    }
}
