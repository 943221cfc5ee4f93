package dev.pawkit.sync.testsupport;

import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.domain.log.OutcomeEnvelope;
import dev.pawkit.sync.infra.PawkitTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the broker holds as committed, read as an auditor would (read_committed): the tests'
 * ground truth for "nothing acknowledged lost, nothing applied twice", beside what the API
 * answers. Mostly the event log (the system of record); also the outcomes, the command log and
 * the enricher's dead letters. Values come back as the domain records the main code writes,
 * decoded with its own serdes (unsealed with the users' keys, {@link TestKeys}), so a test speaks of cards, versions and keys
 * rather than of the wire (the schema tests in {@code schemas} look at the wire on purpose).
 *
 * <p>Every call reads with a consumer of its own, without a group, and closes it: a test may ask
 * as often as it likes and has nothing to close.
 */
public final class CommittedLog {

    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> clientSettings;

    public CommittedLog(String bootstrapServers) {
        this(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Reads with these client settings (bootstrap servers, and security for a secured broker). */
    public CommittedLog(Map<String, Object> clientSettings) {
        this.clientSettings = Map.copyOf(clientSettings);
    }

    /** Every committed event of the user, in log order (a user's events are all in one partition). */
    public List<EventEnvelope> eventsOf(String userId) {
        return allEvents().stream().filter(event -> event.ownerId().equals(userId)).toList();
    }

    /** Every committed event of one of the user's cards, in order. */
    public List<EventEnvelope> eventsOf(String userId, String cardId) {
        return eventsOf(userId).stream().filter(event -> event.cardId().equals(cardId)).toList();
    }

    /** Every committed event of every user, from the start to the end of the committed log now. */
    public List<EventEnvelope> allEvents() {
        try (TopicReader<EventEnvelope> events = events()) {
            return events.between(Map.of(), events.end());
        }
    }

    /** The end of the committed event log now, per partition: a position to read up to, or from. */
    public Map<TopicPartition, Long> eventsEnd() {
        try (TopicReader<EventEnvelope> events = events()) {
            return events.end();
        }
    }

    /**
     * Every committed event at or after {@code from} and before {@code to} (positions as
     * {@link #eventsEnd} gives them); from the start of each partition {@code from} does not name.
     */
    public List<EventEnvelope> eventsBetween(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        try (TopicReader<EventEnvelope> events = events()) {
            return events.between(from, to);
        }
    }

    /** The committed outcome of the command (the value keyed by its id in the results topic), if there is one now. */
    public Optional<OutcomeEnvelope> outcomeOf(String commandId) {
        try (TopicReader<OutcomeEnvelope> outcomes = new TopicReader<>(PawkitTopics.COMMAND_RESULTS,
                TestKeys.reading(clientSettings).outcomes().deserializer())) {
            return outcomes.recordsBetween(Map.of(), outcomes.end()).stream()
                    .filter(record -> commandId.equals(record.key())).map(ConsumerRecord::value).findFirst();
        }
    }

    /** The committed outcome of the command, once there is one (bounded by {@code timeout}). */
    public OutcomeEnvelope awaitOutcome(String commandId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<OutcomeEnvelope> outcome = outcomeOf(commandId);
            if (outcome.isPresent()) {
                return outcome.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no committed outcome of command " + commandId + " within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** Every command for the user's cards in the command log, in log order, sent twice or not. */
    public List<CommandEnvelope> commandsOf(String userId) {
        try (TopicReader<CommandEnvelope> commands = new TopicReader<>(PawkitTopics.CARD_COMMANDS,
                TestKeys.reading(clientSettings).commands().deserializer())) {
            return commands.between(Map.of(), commands.end()).stream()
                    .filter(command -> command.userId().equals(userId)).toList();
        }
    }

    /** The enricher's dead letters for the card (keyed by its id), as the JSON text it writes (url and reason sealed: the enricher's {@code DeadLetter.open} reads them), in log order. */
    public List<String> deadLettersOf(String cardId) {
        try (TopicReader<String> letters = new TopicReader<>(PawkitTopics.METADATA_DEAD_LETTERS,
                new StringDeserializer())) {
            return letters.recordsBetween(Map.of(), letters.end()).stream()
                    .filter(record -> cardId.equals(record.key())).map(ConsumerRecord::value).toList();
        }
    }

    /**
     * Waits (bounded) until no transaction is open on the event log. A transaction commits on all
     * its partitions at once, but the markers that make it readable land one partition after the
     * other: the outcome a client was answered from can be readable a moment before the events of
     * the same transaction. Without this an exact count of committed events would be flaky.
     */
    public void awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> committed = consumer("read_committed", new ByteArrayDeserializer());
                KafkaConsumer<String, byte[]> uncommitted = consumer("read_uncommitted", new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(committed, PawkitTopics.CARD_EVENTS);
            while (System.nanoTime() < deadline) {
                // read_committed ends at the last stable offset, read_uncommitted at the high watermark.
                if (committed.endOffsets(partitions).equals(uncommitted.endOffsets(partitions))) {
                    return;
                }
                Thread.sleep(5);
            }
        }
    }

    private TopicReader<EventEnvelope> events() {
        return new TopicReader<>(PawkitTopics.CARD_EVENTS, TestKeys.reading(clientSettings).events().deserializer());
    }

    private <V> KafkaConsumer<String, V> consumer(String isolation, Deserializer<V> values) {
        Map<String, Object> config = new HashMap<>(clientSettings);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Each fetch answered at once: closing waits for the fetch in flight, so the default long
        // poll (500 ms) made every read of the log, as tests make many, half a second longer.
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        return new KafkaConsumer<>(config, new StringDeserializer(), values);
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    /** One committed topic, every partition assigned (no group): its end, and what lies between two positions. */
    private final class TopicReader<V> implements AutoCloseable {

        private final KafkaConsumer<String, V> consumer;
        private final List<TopicPartition> partitions;

        TopicReader(String topic, Deserializer<V> values) {
            consumer = consumer("read_committed", values);
            partitions = partitions(consumer, topic);
            consumer.assign(partitions);
        }

        Map<TopicPartition, Long> end() {
            return consumer.endOffsets(partitions);
        }

        List<V> between(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
            // An erased user's values read as null: nothing of theirs is left to read.
            return recordsBetween(from, to).stream().map(ConsumerRecord::value).filter(Objects::nonNull).toList();
        }

        List<ConsumerRecord<String, V>> recordsBetween(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
            for (TopicPartition partition : partitions) {
                if (from.containsKey(partition)) {
                    consumer.seek(partition, from.get(partition));
                } else {
                    consumer.seekToBeginning(List.of(partition));
                }
            }
            List<ConsumerRecord<String, V>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < to.get(p))) {
                for (ConsumerRecord<String, V> record : consumer.poll(POLL)) {
                    if (record.offset() < to.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(record);
                    }
                }
            }
            return records;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
