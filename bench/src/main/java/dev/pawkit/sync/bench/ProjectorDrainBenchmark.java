package dev.pawkit.sync.bench;

import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.Edit;
import dev.pawkit.sync.domain.ExpectedVersion;
import dev.pawkit.sync.domain.Metadata;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.infra.CommandLog;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.LocalKafkaBroker;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.infra.TopicProvisioner;
import dev.pawkit.sync.projector.CardProjector;
import dev.pawkit.sync.projector.ProjectorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The log's physical limit and the projector alone, side by side on one fresh broker in this JVM:
 * <ol>
 *   <li>raw appends: records the size of a card command, acks=all, idempotent, as the API's
 *   producer sends them, into a topic of their own;</li>
 *   <li>the projector alone: the command topic pre-filled with the mix (20% creates, 70%
 *   updates with versions, 5% retries of a used key, 5% stale versions; 1,000 users), then drained
 *   under exactly-once by the projector, timed until its committed offsets reach the end.</li>
 * </ol>
 * Checks the drain: the event log then holds exactly one event per create and per update, none for
 * a retry or a stale version.
 *
 * <pre>mvn -q -pl bench exec:java -Dexec.mainClass=dev.pawkit.sync.bench.ProjectorDrainBenchmark -Dexec.args="--commands 1000000"</pre>
 */
public final class ProjectorDrainBenchmark {

    private static final int PARTITIONS = 6;
    private static final int USERS = 1000;
    private static final String RAW_TOPIC = "bench.raw-appends";

    private ProjectorDrainBenchmark() {
    }

    /** What a drain measured, and the projector's stores on disk after it. */
    record Figures(int commands, int recordBytes, double rawPerSecond, double drainedPerSecond, Mix.Counts counts,
            long events, Map<String, Long> storeBytes) {

        long expectedEvents() {
            return counts.creates() + counts.updates();
        }

        /** Keys the idempotency store holds: every command but the retries, which reuse one. */
        long keys() {
            return counts.creates() + counts.updates() + counts.stale();
        }

        long bytesOf(String store) {
            return storeBytes.getOrDefault(store, 0L);
        }
    }

    public static void main(String[] args) throws Exception {
        int commands = args.length == 2 && args[0].equals("--commands") ? Integer.parseInt(args[1]) : 1_000_000;
        Figures figures = measure(commands);
        System.out.printf("raw appends: records of %d B, acks=all: %,.0f records/s%n", figures.recordBytes(),
                figures.rawPerSecond());
        System.out.printf("projector alone: %,d commands (%s) decided under exactly-once: %,.0f commands/s%n", commands,
                figures.counts(), figures.drainedPerSecond());
        System.out.printf("verification: %,d events in the log, %,d expected (creates + updates)%s%n", figures.events(),
                figures.expectedEvents(), figures.events() == figures.expectedEvents() ? "" : "  MISMATCH");
        System.out.printf("stores on disk (SST bytes): %s%n", figures.storeBytes());
        System.out.printf("RESULT: raw=%.0f/s projector=%.0f/s projector/raw=%.2f (%d cores)%n", figures.rawPerSecond(),
                figures.drainedPerSecond(), figures.drainedPerSecond() / figures.rawPerSecond(),
                Runtime.getRuntime().availableProcessors());
    }

    /** Raw appends, then the projector draining the mix, on one fresh broker in this JVM. */
    static Figures measure(int commands) throws Exception {
        Path stateDir = Files.createTempDirectory("pawkit-drain-bench-streams");
        try (LocalKafkaBroker broker = FreshBroker.start("pawkit-drain-bench");
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            List<NewTopic> topics = new ArrayList<>(PawkitTopics.definitions(PARTITIONS, (short) 1));
            topics.add(new NewTopic(RAW_TOPIC, PARTITIONS, (short) 1));
            TopicProvisioner.ensure(admin, topics, 60_000);

            Mix mix = new Mix(new Random(42), commands);
            int recordBytes = BenchKeys.serdes(broker.bootstrapServers()).commands().serializer().serialize(PawkitTopics.CARD_COMMANDS, mix.sample()).length;
            // At least 200,000: fewer finish before the producer is warm, and say little about the log.
            double raw = rawAppends(broker.bootstrapServers(), Math.max(commands, 200_000), recordBytes);
            Mix.Counts counts = fill(broker.bootstrapServers(), mix);
            double drained = drain(broker.bootstrapServers(), admin, stateDir, commands);
            long events = committedRecords(broker.bootstrapServers(), PawkitTopics.CARD_EVENTS);
            return new Figures(commands, recordBytes, raw, drained, counts, events, sstBytesPerStore(stateDir));
        }
    }

    /**
     * Bytes of the SST files of each store, over all tasks, after the projector closed (a clean
     * close flushes the memtables). Streams keeps a store at {@code <state dir>/<app>/<task>/rocksdb/<store>}.
     */
    private static Map<String, Long> sstBytesPerStore(Path stateDir) throws IOException {
        Map<String, Long> bytes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(stateDir)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".sst"))::iterator) {
                bytes.merge(file.getParent().getFileName().toString(), Files.size(file), Long::sum);
            }
        }
        return bytes;
    }

    private static double rawAppends(String bootstrap, int records, int recordBytes) throws Exception {
        byte[] value = new byte[recordBytes];
        AtomicLong failed = new AtomicLong();
        try (Producer<String, byte[]> producer = CommandTopic.producer(bootstrap)) {
            long started = System.nanoTime();
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(RAW_TOPIC, "card-" + (i % 100_000), value), (metadata, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                    }
                });
            }
            producer.flush();
            double seconds = (System.nanoTime() - started) / 1e9;
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " raw appends failed");
            }
            return records / seconds;
        }
    }

    private static Mix.Counts fill(String bootstrap, Mix mix) {
        CommandTopic.append(bootstrap, PARTITIONS, BenchKeys.serdes(bootstrap), mix);
        return mix.counts();
    }

    /** Starts the projector on the filled topic; commands/s until its committed offsets reach the end. */
    private static double drain(String bootstrap, Admin admin, Path stateDir, int commands) throws Exception {
        String applicationId = "pawkit-projector-drain-bench";
        Map<TopicPartition, Long> end = CommandTopic.end(admin, PARTITIONS);

        try (CardProjector projector = new CardProjector(new ProjectorConfig(KafkaClientSettings.plaintext(bootstrap), applicationId, stateDir,
                "127.0.0.1:1", PARTITIONS, (short) 1, 0, Duration.ofMillis(5), Duration.ofHours(24),
                Duration.ofMinutes(1), 64L * 1024 * 1024), BenchKeys.serdes(bootstrap))) {
            projector.start();
            // Timed from the moment it owns its partitions: joining the group is not deciding.
            while (!projector.isRunning()) {
                Thread.sleep(5);
            }
            long started = System.nanoTime();
            while (true) {
                long behind = CommandTopic.behind(admin, applicationId, end);
                if (behind <= 0) {
                    return commands / ((System.nanoTime() - started) / 1e9);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Records read_committed from the start of every partition of the topic. */
    private static long committedRecords(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long records = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                records += consumer.poll(Duration.ofMillis(200)).count();
            }
            return records;
        }
    }

    /**
     * The command mix over 1,000 users, as the API would append it: creates, updates that
     * name the card's current version, retries of an earlier command with its key (same request,
     * a replay), and updates naming a version the card has left (409).
     */
    static final class Mix implements Iterator<CommandEnvelope> {

        record Counts(long creates, long updates, long retries, long stale) {
        }

        private final Random random;
        private final int total;
        private final List<String[]> cards = new ArrayList<>();
        private final List<Long> versions = new ArrayList<>();
        private final List<CommandEnvelope> keyed = new ArrayList<>();
        private int produced;
        private long creates;
        private long updates;
        private long retries;
        private long stale;

        Mix(Random random, int total) {
            this.random = random;
            this.total = total;
        }

        @Override
        public boolean hasNext() {
            return produced < total;
        }

        Counts counts() {
            return new Counts(creates, updates, retries, stale);
        }

        /** A command the size of the mix's most common one, an update, for the raw appends. */
        CommandEnvelope sample() {
            return envelope("user-0", "sample-key", "PATCH /api/cards/sample",
                    new CardCommand.UpdateCard("00000000-0000-0000-0000-000000000000", title("sample title 0000000"),
                            new ExpectedVersion.InBody(3)));
        }

        @Override
        public CommandEnvelope next() {
            produced++;
            double roll = random.nextDouble();
            if (cards.isEmpty() || roll < 0.20) {
                return create();
            }
            if (roll < 0.90) {
                return update(false);
            }
            if (roll < 0.95 && !keyed.isEmpty()) {
                retries++;
                CommandEnvelope first = keyed.get(random.nextInt(keyed.size()));
                return new CommandEnvelope(UUID.randomUUID().toString(), first.userId(), first.actor(),
                        first.idempotencyKey(), first.fingerprint(), first.legacyFingerprint(), first.clientId(),
                        first.command());
            }
            return update(true);
        }

        private CommandEnvelope create() {
            creates++;
            String user = "user-" + random.nextInt(USERS);
            String card = UUID.randomUUID().toString();
            cards.add(new String[] {user, card});
            versions.add(1L);
            return remembered(envelope(user, UUID.randomUUID().toString(), "POST /api/cards",
                    new CardCommand.CreateCard(card, new CardFields(CardType.MD_NOTE, null, "card " + creates, null,
                            "# note", List.of("bench"), List.of(), false, Metadata.EMPTY))));
        }

        private CommandEnvelope update(boolean staleVersion) {
            int index = random.nextInt(cards.size());
            String[] card = cards.get(index);
            long version = versions.get(index);
            if (staleVersion && version > 1) {
                stale++;
                return envelope(card[0], UUID.randomUUID().toString(), "PATCH /api/cards/" + card[1],
                        new CardCommand.UpdateCard(card[1], title("stale " + produced),
                                new ExpectedVersion.InBody(version - 1)));
            }
            updates++;
            versions.set(index, version + 1);
            return remembered(envelope(card[0], UUID.randomUUID().toString(), "PATCH /api/cards/" + card[1],
                    new CardCommand.UpdateCard(card[1], title("title " + produced), new ExpectedVersion.InBody(version))));
        }

        /** Keyed commands a retry may repeat; bounded, so the generator's memory is too. */
        private CommandEnvelope remembered(CommandEnvelope command) {
            if (keyed.size() < 10_000) {
                keyed.add(command);
            } else {
                keyed.set(random.nextInt(keyed.size()), command);
            }
            return command;
        }

        private static CommandEnvelope envelope(String user, String key, String request, CardCommand command) {
            return CommandLog.envelope(UUID.randomUUID().toString(),
                    CommandLog.Origin.user(user, key, "bench", request), command);
        }

        private static CardPatch title(String title) {
            return new CardPatch(Edit.keep(), Edit.to(title), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(),
                    Edit.keep(), Edit.keep(), Edit.keep());
        }
    }
}
