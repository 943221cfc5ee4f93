package dev.pawkit.sync.bench;

import dev.pawkit.sync.infra.CommandLog;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.LocalKafkaBroker;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.infra.TopicProvisioner;
import dev.pawkit.sync.projector.CardProjector;
import dev.pawkit.sync.projector.ProjectorConfig;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.sealing.InMemoryUserKeys;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What sealing personal content costs, measured side by side in one run, in alternating rounds
 * (on then off, then off then on, ...) so that the machine's drift falls on both alike:
 * <ol>
 *   <li><b>the serde</b>: a typical create command, created event and card view serialized and
 *       deserialized again, per record, by the system's serdes (sealed under users' keys) and by
 *       serdes in clear (the v5 form, {@link PawkitSerdes#inClear()});</li>
 *   <li><b>the write path without HTTP</b>: {@link RoundTripBenchmark}'s round trip (a create
 *       appended as the API appends it, answered when its outcome is read read_committed), on two
 *       fresh brokers in this JVM, each with its own projector: one whose whole pipeline seals
 *       (keys in its key topic, as the system has them), one whose pipeline writes in clear. Both
 *       run all the time; each round measures one of them while the other idles.</li>
 * </ol>
 * Prints a table of each, then one summary line.
 *
 * <pre>scripts/benchmark-sealing [--quick]   (or: java -cp "bench/target/classes:bench/target/lib/*" dev.pawkit.sync.bench.SealingBenchmark --quick)</pre>
 * Options: {@code --rounds}, {@code --round-seconds}, {@code --records} (per kind, mode and round),
 * {@code --writers} (the throughput row's), {@code --serde-only}.
 */
public final class SealingBenchmark {

    private static final int PARTITIONS = 6;

    private SealingBenchmark() {
    }

    /** How long to measure. The quick plan is the smoke test's and a first look; compare ratios, not figures. */
    record Plan(String name, int rounds, int records, int roundSeconds, int writers, boolean serdeOnly) {

        static Plan of(Map<String, String> options) {
            boolean quick = Boolean.parseBoolean(options.getOrDefault("quick", "false"));
            return new Plan(quick ? "quick" : "full",
                    Integer.parseInt(options.getOrDefault("rounds", quick ? "3" : "5")),
                    Integer.parseInt(options.getOrDefault("records", quick ? "20000" : "100000")),
                    Integer.parseInt(options.getOrDefault("round-seconds", quick ? "5" : "15")),
                    Integer.parseInt(options.getOrDefault("writers", "16")),
                    Boolean.parseBoolean(options.getOrDefault("serde-only", "false")));
        }
    }

    public static void main(String[] args) throws Exception {
        Plan plan = Plan.of(Options.parse(args));
        long started = System.nanoTime();
        System.out.printf("sealing benchmark, %s plan: %d rounds, alternating on/off; %d cores, Java %s%n",
                plan.name(), plan.rounds(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        SerdeFigures serde = serde(plan);
        serde.print(plan);
        RoundTripFigures trips = plan.serdeOnly() ? null : roundTrips(plan);
        if (trips != null) {
            trips.print(plan);
        }
        System.out.printf("%s plan, %d s%n", plan.name(), Duration.ofNanos(System.nanoTime() - started).toSeconds());
        System.out.println(summary(serde, trips));
    }

    static String summary(SerdeFigures serde, RoundTripFigures trips) {
        StringBuilder line = new StringBuilder("sealing:");
        line.append(String.format(" serde_ns_on=%d serde_ns_off=%d serde_ratio=%.2f",
                serde.all(true).getValueAtPercentile(50), serde.all(false).getValueAtPercentile(50),
                serde.all(true).getValueAtPercentile(50) / (double) serde.all(false).getValueAtPercentile(50)));
        if (trips != null) {
            Histogram on = trips.row(true, true);
            Histogram off = trips.row(true, false);
            double onPerSecond = trips.perSecond(on);
            double offPerSecond = trips.perSecond(off);
            line.append(String.format(" roundtrip_on_per_s=%.0f roundtrip_off_per_s=%.0f ratio=%.2f"
                            + " roundtrip_p99_ms_on=%.1f roundtrip_p99_ms_off=%.1f",
                    onPerSecond, offPerSecond, onPerSecond / offPerSecond,
                    on.getValueAtPercentile(99) / 1000.0, off.getValueAtPercentile(99) / 1000.0));
        }
        return line.toString();
    }

    // ---- the serde ----

    /** Per kind and mode, the nanoseconds of each record's serialize + deserialize, and the bytes written. */
    record SerdeFigures(Map<SerdeCost.Kind, Histogram> on, Map<SerdeCost.Kind, Histogram> off,
            Map<SerdeCost.Kind, long[]> bytes) {

        Histogram all(boolean sealed) {
            Histogram all = new Histogram(3);
            (sealed ? on : off).values().forEach(all::add);
            return all;
        }

        void print(Plan plan) {
            System.out.printf("%nthe serde: serialize + deserialize per record (ns), %d rounds of %,d records per kind%n",
                    plan.rounds(), plan.records());
            System.out.printf("%-16s %9s %9s %9s %9s %9s %9s %7s%n", "value", "on p50", "on p99", "off p50", "off p99",
                    "bytes on", "bytes off", "on/off");
            for (SerdeCost.Kind kind : SerdeCost.Kind.values()) {
                long[] sizes = bytes.get(kind);
                long count = on.get(kind).getTotalCount();
                row(kind.label, on.get(kind), off.get(kind), sizes[0] / count, sizes[1] / count);
            }
            row("all", all(true), all(false), -1, -1);
        }

        private static void row(String label, Histogram on, Histogram off, long bytesOn, long bytesOff) {
            System.out.printf("%-16s %9d %9d %9d %9d %9s %9s %7.2f%n", label, on.getValueAtPercentile(50),
                    on.getValueAtPercentile(99), off.getValueAtPercentile(50), off.getValueAtPercentile(99),
                    bytesOn < 0 ? "" : String.valueOf(bytesOn), bytesOff < 0 ? "" : String.valueOf(bytesOff),
                    on.getValueAtPercentile(50) / (double) off.getValueAtPercentile(50));
        }
    }

    /**
     * The serde part. The sealing serdes keep their keys in memory here (the system's key store
     * also answers from memory once a key is read): a user's first key, made at their first write,
     * is in the round trip part, not here.
     */
    static SerdeFigures serde(Plan plan) {
        InMemoryUserKeys keys = new InMemoryUserKeys();
        SerdeCost.users().forEach(keys::current);
        PawkitSerdes sealed = PawkitSerdes.sealedWith(keys);
        PawkitSerdes clear = PawkitSerdes.inClear();
        Map<SerdeCost.Kind, Histogram> on = new EnumMap<>(SerdeCost.Kind.class);
        Map<SerdeCost.Kind, Histogram> off = new EnumMap<>(SerdeCost.Kind.class);
        Map<SerdeCost.Kind, long[]> bytes = new EnumMap<>(SerdeCost.Kind.class);
        for (SerdeCost.Kind kind : SerdeCost.Kind.values()) {
            on.put(kind, new Histogram(3));
            off.put(kind, new Histogram(3));
            bytes.put(kind, new long[2]);
            // Warm-up, not counted: both paths compiled before either is measured.
            SerdeCost.measure(sealed, kind, plan.records(), new Histogram(3));
            SerdeCost.measure(clear, kind, plan.records(), new Histogram(3));
        }
        for (int round = 0; round < plan.rounds(); round++) {
            for (boolean sealing : round % 2 == 0 ? List.of(true, false) : List.of(false, true)) {
                for (SerdeCost.Kind kind : SerdeCost.Kind.values()) {
                    long written = SerdeCost.measure(sealing ? sealed : clear, kind, plan.records(),
                            (sealing ? on : off).get(kind));
                    bytes.get(kind)[sealing ? 0 : 1] += written;
                }
            }
        }
        return new SerdeFigures(on, off, bytes);
    }

    // ---- the round trip ----

    /** Per row (1 writer, the plan's writers) and mode, every round trip's microseconds, and the seconds measured. */
    record RoundTripFigures(Histogram oneOn, Histogram oneOff, Histogram manyOn, Histogram manyOff, int seconds,
            int roundSeconds, List<long[]> manyPerRound) {

        Histogram row(boolean many, boolean sealed) {
            return many ? (sealed ? manyOn : manyOff) : (sealed ? oneOn : oneOff);
        }

        double perSecond(Histogram row) {
            return row.getTotalCount() / (double) seconds;
        }

        void print(Plan plan) {
            System.out.printf("%nthe write path without HTTP: round trips (create appended, outcome read), %d rounds of %d s per row and mode%n",
                    plan.rounds(), plan.roundSeconds());
            System.out.printf("%-12s %8s %8s %8s %8s %8s %8s %8s %7s%n", "row", "on /s", "off /s", "on p50",
                    "on p99", "off p50", "off p99", "", "on/off");
            print("1 writer", row(false, true), row(false, false));
            print(plan.writers() + " writers", row(true, true), row(true, false));
            StringBuilder rounds = new StringBuilder();
            for (long[] counts : manyPerRound) {
                rounds.append(String.format("  %.0f/%.0f (%.2f)", counts[0] / (double) roundSeconds,
                        counts[1] / (double) roundSeconds, counts[0] / (double) counts[1]));
            }
            System.out.printf("%d writers, each round on/off per s (ratio):%s%n", plan.writers(), rounds);
        }

        private void print(String label, Histogram on, Histogram off) {
            System.out.printf("%-12s %8.0f %8.0f %8.2f %8.2f %8.2f %8.2f %8s %7.2f%n", label, perSecond(on), perSecond(off),
                    on.getValueAtPercentile(50) / 1000.0, on.getValueAtPercentile(99) / 1000.0,
                    off.getValueAtPercentile(50) / 1000.0, off.getValueAtPercentile(99) / 1000.0, "ms",
                    perSecond(on) / perSecond(off));
        }
    }

    static RoundTripFigures roundTrips(Plan plan) throws Exception {
        try (WritePath sealed = WritePath.start("sealed", null);
                WritePath clear = WritePath.start("clear", PawkitSerdes.inClear())) {
            Histogram oneOn = new Histogram(3);
            Histogram oneOff = new Histogram(3);
            Histogram manyOn = new Histogram(3);
            Histogram manyOff = new Histogram(3);
            List<long[]> manyPerRound = new ArrayList<>();
            // The same users in every round: their keys are made in the warm-up (a user's first
            // write waits for one append of their key, acks=all), so the rounds compare steady state.
            List<String> users = new ArrayList<>();
            for (int w = 0; w < plan.writers(); w++) {
                users.add("sealing-bench-writer-" + w);
            }
            // Warm-up, not counted: both projectors have processed, committed and compiled.
            for (WritePath path : List.of(sealed, clear)) {
                path.run(users, 3);
            }
            for (int round = 0; round < plan.rounds(); round++) {
                long[] counts = new long[2];
                for (boolean sealing : round % 2 == 0 ? List.of(true, false) : List.of(false, true)) {
                    WritePath path = sealing ? sealed : clear;
                    (sealing ? oneOn : oneOff).add(path.run(users.subList(0, 1), plan.roundSeconds()));
                    Histogram many = path.run(users, plan.roundSeconds());
                    (sealing ? manyOn : manyOff).add(many);
                    counts[sealing ? 0 : 1] = many.getTotalCount();
                }
                manyPerRound.add(counts);
            }
            return new RoundTripFigures(oneOn, oneOff, manyOn, manyOff, plan.rounds() * plan.roundSeconds(),
                    plan.roundSeconds(), manyPerRound);
        }
    }

    /** A fresh broker with the system's topics, a projector on it, and the API's way in and out, all with one serdes. */
    private record WritePath(LocalKafkaBroker broker, CardProjector projector, Producer<String, byte[]> producer,
            RoundTripBenchmark.Replies replies, CommandLog log) implements AutoCloseable {

        /** @param serdes null: the system's (sealing, keys in the broker's key topic) */
        static WritePath start(String name, PawkitSerdes serdes) throws Exception {
            LocalKafkaBroker broker = FreshBroker.start("pawkit-sealing-bench-" + name);
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                TopicProvisioner.ensure(admin, PawkitTopics.definitions(PARTITIONS, (short) 1), 60_000);
            }
            // After the topics: the key store reads its topic from the start.
            PawkitSerdes chosen = serdes != null ? serdes : BenchKeys.serdes(bootstrap);
            // RoundTripBenchmark's projector: a 5 ms commit interval, as the stack runs it.
            CardProjector projector = new CardProjector(new ProjectorConfig(KafkaClientSettings.plaintext(bootstrap),
                    "sealing-bench-" + name, Files.createTempDirectory("pawkit-sealing-bench-streams"), "127.0.0.1:1",
                    PARTITIONS, (short) 1, 0, Duration.ofMillis(5), Duration.ofHours(24), Duration.ofMinutes(1), 64L << 20),
                    chosen);
            projector.start();
            while (!projector.isRunning()) {
                Thread.sleep(100);
            }
            Producer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(), new ByteArraySerializer());
            return new WritePath(broker, projector, producer, new RoundTripBenchmark.Replies(bootstrap, chosen),
                    new CommandLog(producer, PARTITIONS, chosen));
        }

        Histogram run(List<String> users, int seconds) throws Exception {
            return RoundTripBenchmark.run(log, replies, users, seconds);
        }

        @Override
        public void close() throws Exception {
            replies.close();
            producer.close();
            projector.close();
            broker.close();
        }
    }
}
