package dev.pawkit.sync.bench;

import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.domain.log.OutcomeEnvelope;
import dev.pawkit.sync.infra.CommandLog;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.LocalKafkaBroker;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.infra.TopicProvisioner;
import dev.pawkit.sync.projector.CardProjector;
import dev.pawkit.sync.projector.ProjectorConfig;
import dev.pawkit.sync.schemas.PawkitSerdes;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The write path without HTTP: one command appended as the API appends it, answered when its
 * outcome is read read_committed as the API reads it, one at a time (or by a few writers at once),
 * on a fresh broker in this JVM. Prints the round trip's percentiles and the projector's stream
 * thread figures (poll, process, commit), to tell where a write's time goes.
 *
 * <pre>mvn -q -pl bench exec:java -Dexec.mainClass=dev.pawkit.sync.bench.RoundTripBenchmark -Dexec.args="--commit-interval 5 --writers 1 --seconds 15"</pre>
 */
public final class RoundTripBenchmark {

    private static final int PARTITIONS = 6;

    private RoundTripBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
                int interval = Integer.parseInt(options.getOrDefault("commit-interval", "5"));
        int writers = Integer.parseInt(options.getOrDefault("writers", "1"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "15"));
        try (LocalKafkaBroker broker = FreshBroker.start("pawkit-round-trip-bench");
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicProvisioner.ensure(admin, PawkitTopics.definitions(PARTITIONS, (short) 1), 60_000);
            String bootstrap = broker.bootstrapServers();
            try (CardProjector projector = new CardProjector(new ProjectorConfig(KafkaClientSettings.plaintext(bootstrap), "round-trip-bench",
                    Files.createTempDirectory("pawkit-round-trip-streams"), "127.0.0.1:1", PARTITIONS, (short) 1, 0,
                    Duration.ofMillis(interval), Duration.ofHours(24), Duration.ofMinutes(1), 64L << 20),
                    BenchKeys.serdes(bootstrap));
                    Producer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                            ProducerConfig.ACKS_CONFIG, "all",
                            ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(), new ByteArraySerializer());
                    Replies replies = new Replies(bootstrap, BenchKeys.serdes(bootstrap))) {
                projector.start();
                while (!projector.isRunning()) {
                    Thread.sleep(100);
                }
                CommandLog log = new CommandLog(producer, PARTITIONS, BenchKeys.serdes(bootstrap));
                run(log, replies, writers, 3);
                Histogram histogram = run(log, replies, writers, seconds);
                System.out.printf("commit interval %d ms, %d writers: %d round trips in %d s = %.0f/s%n",
                        interval, writers, histogram.getTotalCount(), seconds,
                        histogram.getTotalCount() / (double) seconds);
                System.out.printf("round trip ms: p50 %.2f p90 %.2f p99 %.2f max %.2f%n",
                        histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(90) / 1000.0,
                        histogram.getValueAtPercentile(99) / 1000.0, histogram.getMaxValue() / 1000.0);
                printStreamThreadMetrics();
            }
        }
    }

    /** {@code writers} users each writing one create after another for {@code seconds}: each round trip's microseconds. */
    static Histogram run(CommandLog log, Replies replies, int writers, int seconds) throws Exception {
        List<String> users = new java.util.ArrayList<>();
        for (int w = 0; w < writers; w++) {
            users.add("round-trip-" + UUID.randomUUID());
        }
        return run(log, replies, users, seconds);
    }

    /** One writer per user of {@code users}, as {@link #run(CommandLog, Replies, int, int)}. */
    static Histogram run(CommandLog log, Replies replies, List<String> users, int seconds) throws Exception {
        Histogram histogram = new Histogram(3);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new java.util.ArrayList<>();
        for (String user : users) {
            Thread thread = new Thread(() -> {
                Histogram own = new Histogram(3);
                try {
                    while (System.nanoTime() < deadline) {
                        String cardId = UUID.randomUUID().toString();
                        CommandEnvelope command = CommandLog.envelope(UUID.randomUUID().toString(),
                                CommandLog.Origin.user(user, UUID.randomUUID().toString(), null, "POST /api/cards"),
                                new CardCommand.CreateCard(cardId, new CardFields(CardType.MD_NOTE, null, "round trip",
                                        null, "body", List.of("a"), List.of(), false, null)));
                        long started = System.nanoTime();
                        CompletableFuture<OutcomeEnvelope> reply = replies.await(command.commandId());
                        log.append(command).get(10, TimeUnit.SECONDS);
                        reply.get(10, TimeUnit.SECONDS);
                        own.recordValue((System.nanoTime() - started) / 1000);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                synchronized (histogram) {
                    histogram.add(own);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return histogram;
    }

    private static void printStreamThreadMetrics() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(new ObjectName("kafka.streams:type=stream-thread-metrics,*"), null);
        if (names.isEmpty()) {
            System.out.println("stream thread metrics: none registered");
        }
        for (ObjectName name : names) {
            if (!Arrays.asList(server.getMBeanInfo(name).getAttributes()).stream()
                    .anyMatch(a -> a.getName().equals("commit-latency-avg"))) {
                continue;
            }
            System.out.printf("stream thread: poll avg %.2f ms, process avg %.3f ms, commit avg %.2f ms max %.2f ms, "
                            + "commits %.0f, process records per poll %.1f%n",
                    (Double) server.getAttribute(name, "poll-latency-avg"),
                    (Double) server.getAttribute(name, "process-latency-avg"),
                    (Double) server.getAttribute(name, "commit-latency-avg"),
                    (Double) server.getAttribute(name, "commit-latency-max"),
                    (Double) server.getAttribute(name, "commit-total"),
                    (Double) server.getAttribute(name, "poll-records-avg"));
        }
    }

    /** The API's reply reader: outcomes read_committed, handed to whoever waits for the command id. */
    static final class Replies implements AutoCloseable {

        private final Map<String, CompletableFuture<OutcomeEnvelope>> waiting = new ConcurrentHashMap<>();
        private final KafkaConsumer<String, OutcomeEnvelope> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        Replies(String bootstrap, PawkitSerdes serdes) {
            consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20),
                    new StringDeserializer(), serdes.outcomes().deserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(PawkitTopics.COMMAND_RESULTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            thread = new Thread(() -> {
                while (running) {
                    for (ConsumerRecord<String, OutcomeEnvelope> record : consumer.poll(Duration.ofMillis(100))) {
                        CompletableFuture<OutcomeEnvelope> waiter = waiting.remove(record.key());
                        if (waiter != null) {
                            waiter.complete(record.value());
                        }
                    }
                }
                consumer.close();
            }, "replies");
            thread.start();
        }

        CompletableFuture<OutcomeEnvelope> await(String commandId) {
            return waiting.computeIfAbsent(commandId, id -> new CompletableFuture<>());
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }
}
