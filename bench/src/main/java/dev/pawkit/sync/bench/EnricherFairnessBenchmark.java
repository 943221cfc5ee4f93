package dev.pawkit.sync.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CardDecider;
import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.Decision;
import dev.pawkit.sync.domain.Metadata;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.enricher.EnricherConfig;
import dev.pawkit.sync.enricher.MetadataEnricher;
import dev.pawkit.sync.enricher.fetch.FetchPolicy;
import dev.pawkit.sync.enricher.fetch.FetchSettings;
import dev.pawkit.sync.infra.FreePorts;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.LocalKafkaBroker;
import dev.pawkit.sync.infra.OwnerPartitioner;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.infra.TopicProvisioner;
import dev.pawkit.sync.schemas.PawkitSerdes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The metadata enricher's fairness: how long a new user's url card waits for its metadata behind
 * a backlog of other users' url cards whose pages fail (HTTP 500) or are slow (answer after the
 * read timeout), both in one run, on one fresh broker in this JVM, with the enricher's production
 * settings ({@code pawkit.enricher.*} defaults: 8 fetches at once, 2 per host, hosts paused 30 s
 * after failing most of their recent fetches, reading paused at 50,000 unanswered requests
 * ({@code --max-unanswered} to see a backlog longer than that),
 * 3 retries, 5 s connect and 10 s read timeouts).
 *
 * <p>Per scenario: a new enricher group starts at the log's end; the backlog's card-created events
 * ({@code --backlog}, 10 cards per user) are appended to {@code pawkit.card-events} as the
 * projector would, then one new user's card for a good page on another site; the delay is from
 * that event's acknowledgement to the enricher's answer (its ApplyMetadata command) in
 * {@code pawkit.card-commands}. Also printed: how many backlog pages had been requested from the
 * bad site, and how many backlog cards answered, by then. A scenario gives up after {@code --max-wait}
 * (default 120 s) and prints {@code >120}.
 *
 * <pre>mvn -q -DskipTests package -pl bench -am &amp;&amp; java -cp "bench/target/classes:bench/target/lib/*" dev.pawkit.sync.bench.EnricherFairnessBenchmark [--backlog 10000] [--max-wait 120] [--max-unanswered 50000]</pre>
 */
public final class EnricherFairnessBenchmark {

    private static final int PARTITIONS = 6;
    private static final int CARDS_PER_USER = 10;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private EnricherFairnessBenchmark() {
    }

    /**
     * What one scenario measured; {@code delaySeconds} (to the answer in the log) is NaN when the new
     * card was not answered in time; {@code pageSeconds} is when its page was requested.
     */
    record Figures(String scenario, double delaySeconds, double pageSeconds, int backlogRequestsBefore,
            long backlogAnsweredBefore) {

        String delay(Duration maxWait) {
            return Double.isNaN(delaySeconds) ? ">" + maxWait.toSeconds() : String.format("%.2f", delaySeconds);
        }
    }

    public static void main(String[] args) throws Exception {
        int backlog = 10_000;
        Duration maxWait = Duration.ofSeconds(120);
        int maxUnanswered = 50_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--backlog" -> backlog = Integer.parseInt(args[i + 1]);
                case "--max-wait" -> maxWait = Duration.ofSeconds(Long.parseLong(args[i + 1]));
                case "--max-unanswered" -> maxUnanswered = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        try (LocalKafkaBroker broker = FreshBroker.start("pawkit-enricher-fairness");
                Site bad = new Site();
                Site good = new Site()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                TopicProvisioner.ensure(admin, PawkitTopics.definitions(PARTITIONS, (short) 1), 60_000);
            }
            Figures failing = scenario("failing", broker.bootstrapServers(), maxUnanswered, backlog, bad, "/fail/", good, maxWait);
            Figures slow = scenario("slow", broker.bootstrapServers(), maxUnanswered, backlog, bad, "/slow/", good, maxWait);
            for (Figures figures : List.of(failing, slow)) {
                System.out.printf("%s: new card's page requested after %.2f s, its metadata in the log after %s s;"
                        + " by then %,d backlog pages requested, %,d backlog cards answered%n",
                        figures.scenario(), figures.pageSeconds(), figures.delay(maxWait), figures.backlogRequestsBefore(),
                        figures.backlogAnsweredBefore());
            }
            System.out.printf("enricher-fairness: backlog=%d failing new_card_metadata_s=%s slow new_card_metadata_s=%s max_unanswered=%d%n",
                    backlog, failing.delay(maxWait), slow.delay(maxWait), maxUnanswered);
        }
        // The slow site's handlers and the abandoned fetches are daemon-free threads of their own.
        System.exit(0);
    }

    private static Figures scenario(String name, String bootstrap, int maxUnanswered, int backlog, Site bad, String badPath, Site good,
            Duration maxWait) throws Exception {
        String run = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        PawkitSerdes serdes = BenchKeys.serdes(bootstrap);
        MetadataEnricher enricher = MetadataEnricher.create(config(bootstrap, "pawkit-enricher-fairness-" + run, maxUnanswered),
                serdes).start();
        try (Producer<String, byte[]> producer = producer(bootstrap);
                KafkaConsumer<String, byte[]> answers = answers(bootstrap)) {
            while (enricher.assignedPartitions() < PARTITIONS) {
                Thread.sleep(20);
            }
            int requestsAtStart = bad.requests();
            for (int i = 0; i < backlog; i++) {
                String user = run + "-backlog-user-" + (i / CARDS_PER_USER);
                append(producer, serdes, user, bad.url(badPath + i));
            }
            producer.flush();
            good.reset();
            String newCard = append(producer, serdes, run + "-new-user", good.url("/page/" + run));
            producer.flush();
            long appended = System.nanoTime();
            long deadline = appended + maxWait.toNanos();
            long backlogAnswered = 0;
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : answers.poll(Duration.ofMillis(20))) {
                    // Commands are keyed by card id: only the new card's is decoded, so reading the
                    // backlog's answers costs this loop next to nothing.
                    if (newCard.equals(record.key())) {
                        CommandEnvelope command = serdes.commands().deserializer().deserialize(record.topic(), record.value());
                        if (command.idempotencyKey().equals("metadata:" + newCard + ":1")) {
                            return new Figures(name, (System.nanoTime() - appended) / 1e9,
                                    (good.firstRequestNanos() - appended) / 1e9, bad.requests() - requestsAtStart,
                                    backlogAnswered);
                        }
                    }
                    backlogAnswered++;
                }
            }
            return new Figures(name, Double.NaN, Double.NaN, bad.requests() - requestsAtStart, backlogAnswered);
        } finally {
            enricher.close();
        }
    }

    /** The enricher as {@code pawkit.enricher.*}'s defaults make it (runtime's EnricherRunner), 127.0.0.1 allowed. */
    private static EnricherConfig config(String bootstrap, String groupId, int maxUnanswered) {
        return new EnricherConfig(KafkaClientSettings.plaintext(bootstrap), groupId, PARTITIONS,
                EnricherConfig.StartFrom.LATEST, 8, 2, Duration.ofSeconds(30), maxUnanswered, Duration.ofSeconds(1),
                FetchPolicy.of(List.of("127.0.0.1"), false),
                new FetchSettings(Duration.ofSeconds(5), READ_TIMEOUT, 2L * 1024 * 1024, 5, 3, Duration.ofMillis(500),
                        Duration.ofSeconds(10), Duration.ofSeconds(30), FetchSettings.USER_AGENT));
    }

    /** A url card created by its owner, as the projector appends the event: the card waits for its page. */
    private static String append(Producer<String, byte[]> producer, PawkitSerdes serdes, String user, String url) {
        String cardId = UUID.randomUUID().toString();
        CardFields fields = new CardFields(CardType.URL, url, "bench", null, null, List.of(), List.of(), false,
                Metadata.EMPTY);
        Decision.Accepted created = (Decision.Accepted) CardDecider.decide(null,
                new CardCommand.CreateCard(cardId, fields), user, Instant.now());
        CardEvent event = created.events().get(0);
        EventEnvelope envelope = new EventEnvelope(event, UUID.randomUUID().toString(), "bench-" + cardId, null, user);
        producer.send(new ProducerRecord<>(PawkitTopics.CARD_EVENTS, OwnerPartitioner.partitionFor(user, PARTITIONS),
                cardId, serdes.events().serializer().serialize(PawkitTopics.CARD_EVENTS, envelope)));
        return cardId;
    }

    private static Producer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
    }

    /** The enricher's answers from now on: a consumer at the end of every command partition. */
    private static KafkaConsumer<String, byte[]> answers(String bootstrap) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(PawkitTopics.CARD_COMMANDS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    /**
     * A site on 127.0.0.1: {@code /fail/*} answers 500, {@code /slow/*} answers after the enricher's
     * read timeout, anything else is a small page. Counts the requests it got.
     */
    private static final class Site implements AutoCloseable {

        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final AtomicInteger requests = new AtomicInteger();
        private volatile long firstRequestNanos;

        Site() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.pick()), 200);
            server.setExecutor(threads);
            server.createContext("/", this::serve);
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        int requests() {
            return requests.get();
        }

        /** When the last reset site got its first request ({@link System#nanoTime()}). */
        long firstRequestNanos() {
            return firstRequestNanos;
        }

        void reset() {
            firstRequestNanos = 0;
        }

        private void serve(HttpExchange exchange) throws IOException {
            requests.incrementAndGet();
            if (firstRequestNanos == 0) {
                firstRequestNanos = System.nanoTime();
            }
            String path = exchange.getRequestURI().getPath();
            try (exchange) {
                if (path.startsWith("/fail/")) {
                    respond(exchange, 500, "<title>Internal Server Error</title>");
                } else if (path.startsWith("/slow/")) {
                    Thread.sleep(READ_TIMEOUT.plusSeconds(1).toMillis());
                    respond(exchange, 200, "<title>Too late</title>");
                } else {
                    respond(exchange, 200, "<title>A good page</title>");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // The enricher hung up (its timeout): expected for the slow pages.
            }
        }

        private static void respond(HttpExchange exchange, int status, String html) throws IOException {
            byte[] body = html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
