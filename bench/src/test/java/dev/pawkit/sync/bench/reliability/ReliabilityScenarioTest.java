package dev.pawkit.sync.bench.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.PawkitApplication;
import dev.pawkit.sync.bench.CardApi;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.testsupport.EmbeddedStack;
import dev.pawkit.sync.testsupport.TestKeys;
import dev.pawkit.sync.testsupport.Tokens;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The no-fault scenario on a real broker and the whole application in this JVM: concurrent clients,
 * impatient retries and batches, then the audit of the committed log and the views. And the same
 * audit failing once a duplicate of a committed event is forged into the log, as a build that
 * applied a write twice would leave it.
 */
class ReliabilityScenarioTest {

    private static final Duration WORKLOAD = Duration.ofSeconds(60);
    private static final Duration AUDIT = Duration.ofSeconds(30);

    private static EmbeddedStack stack;
    private static CardApi api;

    @BeforeAll
    static void start() {
        stack = EmbeddedStack.start(PawkitApplication.class, Map.of(
                "pawkit.projector.application-id", "pawkit-projector-reliability-it",
                // Several users share one machine's worth of writes: the limit is not what is checked.
                "pawkit.rate-limit.enabled", "false",
                // bench carries JDBC for its PostgreSQL comparison; this application has no database.
                "spring.autoconfigure.exclude", "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"));
        api = new CardApi(stack.uri().toString(), Tokens.SECRET);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theNoFaultScenarioLosesNothingAndAppliesNothingTwice() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

        Verdict verdict = ReliabilityCheck.run(api, kafka(), TestKeys.reading(kafka()), "no-fault", new Workload.Size(4, 2, 25), out);

        String report = printed.toString(StandardCharsets.UTF_8);
        System.out.print(report);
        assertThat(verdict.violations()).isEmpty();
        assertThat(verdict.acknowledged()).isPositive();
        // The run exercised what it claims to: impatient attempts left unanswered, then retried.
        assertThat(verdict.unanswered()).isPositive();
        assertThat(verdict.retried()).isPositive();
        assertThat(verdict.events()).isPositive();
        assertThat(verdict.views()).isPositive();
        List<String> lines = report.lines().toList();
        assertThat(lines.get(lines.size() - 1)).matches(
                "reliability: scenarios=1 acknowledged=[1-9][0-9]* lost=0 duplicated=0 server_errors=0");
    }

    @Test
    void aForgedDuplicateEventInTheLogFailsTheAudit() throws Exception {
        History history = new Workload(api, "forged", new Workload.Size(2, 1, 10)).run(WORKLOAD);
        CommittedEvents log = new CommittedEvents(kafka(), TestKeys.reading(kafka()));
        ViewReader views = new ViewReader(api);
        assertThat(Audit.check(history, log, views, AUDIT).violations()).isEmpty();

        EventEnvelope copied = appendACopyOfAnEventOf("forged-");

        Verdict verdict = Audit.check(history, log, views, AUDIT);
        verdict.print(System.out, 1);
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.duplicated()).isEqualTo(1);
        assertThat(verdict.violations())
                .anyMatch(v -> v.contains("write " + copied.ownerId() + "/" + copied.idempotencyKey()
                        + " applied 2 times"))
                .anyMatch(v -> v.contains("card " + copied.ownerId() + "/" + copied.cardId() + " has versions"));
        assertThat(verdict.line(1)).contains("duplicated=1");
    }

    /**
     * Appends, outside any transaction, a byte-for-byte copy of the first committed event of a user
     * whose id starts with {@code userPrefix}, to the same partition: what a projector that decided
     * one command twice would have written. Returns the copied event.
     */
    private static EventEnvelope appendACopyOfAnEventOf(String userPrefix) throws Exception {
        Map<String, Object> consumer = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> events = new KafkaConsumer<>(consumer, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            List<TopicPartition> partitions = events.partitionsFor(PawkitTopics.CARD_EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            events.assign(partitions);
            events.seekToBeginning(partitions);
            long deadline = System.nanoTime() + AUDIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : events.poll(Duration.ofMillis(200))) {
                    EventEnvelope event = TestKeys.reading(kafka()).events().deserializer().deserialize(record.topic(),
                            record.value());
                    if (event.ownerId().startsWith(userPrefix)) {
                        producer.send(new ProducerRecord<>(record.topic(), record.partition(), record.key(),
                                record.value())).get();
                        return event;
                    }
                }
            }
            throw new AssertionError("no committed event of a user " + userPrefix + "* within " + AUDIT);
        }
    }

    private static Map<String, Object> kafka() {
        return Map.of("bootstrap.servers", stack.bootstrapServers());
    }
}
