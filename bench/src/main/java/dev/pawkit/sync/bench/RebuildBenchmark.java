package dev.pawkit.sync.bench;

import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.Edit;
import dev.pawkit.sync.domain.Metadata;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.LocalKafkaBroker;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.infra.TopicProvisioner;
import dev.pawkit.sync.infra.OwnerPartitioner;
import dev.pawkit.sync.projector.ViewRebuild;
import dev.pawkit.sync.domain.log.EventEnvelope;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How fast every view is rebuilt from the event log: writes N events (cards of 1,000 users, each
 * created then updated 9 times) into a fresh broker's event topic, then rebuilds the views from
 * them and prints events/s. The broker runs in this JVM, like the local stack's.
 *
 * <pre>mvn -q -pl bench exec:java -Dexec.mainClass=dev.pawkit.sync.bench.RebuildBenchmark -Dexec.args="--events 1000000"</pre>
 */
public final class RebuildBenchmark {

    private static final int USERS = 1000;
    private static final int EVENTS_PER_CARD = 10;

    private RebuildBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long events = args.length == 2 && args[0].equals("--events") ? Long.parseLong(args[1]) : 1_000_000;
        try (LocalKafkaBroker broker = FreshBroker.start("pawkit-rebuild-bench")) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                TopicProvisioner.ensure(admin, PawkitTopics.definitions(6, (short) 1), 60_000);
            }
            long started = System.nanoTime();
            write(broker.bootstrapServers(), events);
            System.out.printf("wrote %,d events in %.1f s%n", events, (System.nanoTime() - started) / 1e9);

            ViewRebuild.Report report = ViewRebuild.run(new ViewRebuild.Options(BenchKeys.serdes(broker.bootstrapServers()),
                    KafkaClientSettings.plaintext(broker.bootstrapServers()), "none",
                    "pawkit-rebuild-bench", Files.createTempDirectory("pawkit-rebuild-bench-streams"), false, false, Duration.ofSeconds(5)), System.out);
            System.out.printf("RESULT: rebuilt %,d events in %.1f s = %,.0f events/s (%d cores)%n", report.events(),
                    report.took().toMillis() / 1000.0, report.eventsPerSecond(), Runtime.getRuntime().availableProcessors());
        }
    }

    private static void write(String bootstrap, long events) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        try (KafkaProducer<String, EventEnvelope> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), BenchKeys.serdes(bootstrap).events().serializer())) {
            String card = null;
            String user = null;
            for (long i = 0; i < events; i++) {
                int step = (int) (i % EVENTS_PER_CARD);
                if (step == 0) {
                    card = UUID.randomUUID().toString();
                    user = "user-" + (i / EVENTS_PER_CARD) % USERS;
                }
                CardEvent event = step == 0
                        ? new CardEvent.CardCreated(card, user, 1, at.plusMillis(i), new CardFields(CardType.URL,
                                "https://example.com/" + i, "card " + i, null, null, List.of("a", "b"), List.of(),
                                false, Metadata.EMPTY))
                        : new CardEvent.CardUpdated(card, user, step + 1, at.plusMillis(i), new CardPatch(Edit.keep(),
                                Edit.to("title " + i), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(),
                                Edit.keep(), Edit.keep()));
                producer.send(new ProducerRecord<>(PawkitTopics.CARD_EVENTS, OwnerPartitioner.partitionFor(user, 6),
                        card, new EventEnvelope(event, "bench", null, null, "bench")));
            }
            producer.flush();
        }
    }
}
