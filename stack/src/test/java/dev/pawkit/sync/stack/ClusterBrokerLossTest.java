package dev.pawkit.sync.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.PawkitApplication;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.infra.FreePorts;
import dev.pawkit.sync.infra.LocalKafkaCluster;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.infra.TopicProvisioner;
import dev.pawkit.sync.testsupport.CommittedLog;
import dev.pawkit.sync.testsupport.EmbeddedApplication;
import dev.pawkit.sync.testsupport.Tokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The production shape in this JVM: three KRaft nodes ({@link LocalKafkaCluster}, what
 * {@code pawkit-local-stack.jar cluster} runs), topics with replication factor 3 and
 * {@code min.insync.replicas=2}, and the application on them. One broker stops while clients
 * write: no acknowledged write is lost, none is applied twice, and writes go on on the other two.
 *
 * <p>Topic creation starts before the brokers do, as under docker compose: it must wait for three
 * brokers instead of failing.
 */
class ClusterBrokerLossTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PARTITIONS = 6;
    private static final int WRITERS = 4;
    /** Users spread over partitions, so the stopped broker leads some of them. */
    private static final int USERS = 8;

    @TempDir
    static Path dataDir;

    private static LocalKafkaCluster cluster;
    private static EmbeddedApplication application;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startClusterAfterTopicCreationBegan() throws Exception {
        List<Integer> ports = List.of(FreePorts.pick(), FreePorts.pick(), FreePorts.pick());
        String bootstrap = ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
        // The application's topic creation, started while no broker runs yet.
        CompletableFuture<Void> provisioning = CompletableFuture.runAsync(() -> {
            try (Admin admin = admin(bootstrap)) {
                TopicProvisioner.ensure(admin, PawkitTopics.definitions(PARTITIONS, (short) 3), 120_000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, task -> new Thread(task, "provisioning-before-brokers").start());
        Thread.sleep(1_000);
        assertThat(provisioning).as("topic creation waits for brokers").isNotDone();

        cluster = LocalKafkaCluster.start(dataDir.resolve("cluster"), ports);
        provisioning.get(120, TimeUnit.SECONDS);
        try (Admin admin = admin(cluster.bootstrapServers())) {
            TopicDescription events = admin.describeTopics(List.of(PawkitTopics.CARD_EVENTS)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(PawkitTopics.CARD_EVENTS);
            assertThat(events.partitions()).hasSize(PARTITIONS)
                    .allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3));
        }

        application = EmbeddedApplication.start(PawkitApplication.class, cluster.bootstrapServers(), Map.of(
                "pawkit.kafka.replication-factor", "3",
                "pawkit.kafka.partitions", String.valueOf(PARTITIONS),
                // The projector is what this test is about; fewer Streams applications on two cores.
                "pawkit.analytics.enabled", "false",
                "pawkit.enricher.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        // The application before the brokers it writes to.
        if (application != null) {
            application.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void stoppingOneOfThreeBrokersUnderLoadLosesNoAcknowledgedWriteAndWritesContinue() throws Exception {
        // Idempotency key → [user, card id] of every create answered 201.
        Map<String, List<String>> acknowledged = new ConcurrentHashMap<>();
        // Keys sent without a 201 (refused or no answer while the cluster moved leaders): retried below.
        Map<String, String> unanswered = new ConcurrentHashMap<>();
        AtomicInteger acknowledgedAfterLoss = new AtomicInteger();
        AtomicBoolean brokerLost = new AtomicBoolean();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Thread thread = new Thread(() -> {
                for (int n = 0; writing.get(); n++) {
                    String user = "cluster-user-" + ((writer + n * WRITERS) % USERS);
                    String key = UUID.randomUUID().toString();
                    boolean sentAfterLoss = brokerLost.get();
                    try {
                        HttpResponse<String> created = create(user, key);
                        if (created.statusCode() == 201) {
                            acknowledged.put(key, List.of(user, JSON.readTree(created.body()).get("id").stringValue()));
                            if (sentAfterLoss) {
                                acknowledgedAfterLoss.incrementAndGet();
                            }
                            continue;
                        }
                    } catch (Exception e) {
                        // No answer: as unknown as a refusal, and retried the same way.
                    }
                    unanswered.put(key, user);
                }
            }, "writer-" + w);
            thread.start();
            writers.add(thread);
        }

        waitUntil(() -> acknowledged.size() >= 40, Duration.ofSeconds(90), "40 writes before the loss");
        int node = busiestLeader();
        cluster.stop(node);
        brokerLost.set(true);
        int beforeLoss = acknowledged.size();
        // Two replicas of three remain: min.insync.replicas=2 still holds, so writes must go on.
        waitUntil(() -> acknowledgedAfterLoss.get() >= 40, Duration.ofSeconds(120),
                "40 writes acknowledged after broker " + node + " stopped");
        writing.set(false);
        for (Thread writer : writers) {
            writer.join(30_000);
            assertThat(writer.isAlive()).isFalse();
        }

        // What got no answer: a client retries it with its key, and it lands once.
        for (Map.Entry<String, String> retry : unanswered.entrySet()) {
            HttpResponse<String> created = retryUntilAnswered(retry.getValue(), retry.getKey());
            assertThat(created.statusCode()).as("retry of key %s", retry.getKey()).isEqualTo(201);
            acknowledged.put(retry.getKey(), List.of(retry.getValue(), JSON.readTree(created.body()).get("id").stringValue()));
        }

        // Every acknowledged card is readable from the API ...
        for (List<String> card : acknowledged.values()) {
            assertThat(get(card.get(0), "/api/cards/" + card.get(1)).statusCode())
                    .as("acknowledged card %s of %s", card.get(1), card.get(0)).isEqualTo(200);
        }
        // ... and in the committed event log exactly once, under the key it was acknowledged for.
        CommittedLog committed = new CommittedLog(cluster.bootstrapServers());
        committed.awaitSettled(Duration.ofSeconds(30));
        Map<String, List<EventEnvelope>> eventsByCard = committed.allEvents().stream()
                .collect(Collectors.groupingBy(EventEnvelope::cardId));
        for (Map.Entry<String, List<String>> ack : acknowledged.entrySet()) {
            List<EventEnvelope> events = eventsByCard.getOrDefault(ack.getValue().get(1), List.of());
            assertThat(events).as("events of card %s", ack.getValue().get(1)).hasSize(1);
            assertThat(events.get(0).idempotencyKey()).isEqualTo(ack.getKey());
            assertThat(events.get(0).ownerId()).isEqualTo(ack.getValue().get(0));
        }
        Map<String, Long> cardsPerKey = acknowledged.keySet().stream().collect(Collectors.toMap(Function.identity(),
                key -> eventsByCard.values().stream().flatMap(List::stream)
                        .filter(event -> key.equals(event.idempotencyKey())).count()));
        assertThat(cardsPerKey).as("one card per key").allSatisfy((key, count) -> assertThat(count).isEqualTo(1L));

        // The replicas left are in sync: two of three, as min.insync.replicas asks.
        try (Admin admin = admin(cluster.bootstrapServers())) {
            TopicDescription events = admin.describeTopics(List.of(PawkitTopics.CARD_EVENTS)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(PawkitTopics.CARD_EVENTS);
            assertThat(events.partitions()).allSatisfy(partition -> {
                assertThat(partition.leader().id()).isNotEqualTo(node);
                assertThat(partition.isr()).hasSize(2);
            });
        }
        System.out.printf("broker %d stopped: %d acknowledged before, %d after, %d retried, %d cards%n", node,
                beforeLoss, acknowledgedAfterLoss.get(), unanswered.size(), acknowledged.size());
    }

    /** The node that leads the most partitions of the event and command logs: its loss moves the most. */
    private static int busiestLeader() throws Exception {
        try (Admin admin = admin(cluster.bootstrapServers())) {
            Map<Integer, Long> led = admin.describeTopics(List.of(PawkitTopics.CARD_EVENTS, PawkitTopics.CARD_COMMANDS))
                    .allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                    .flatMap(topic -> topic.partitions().stream())
                    .map(TopicPartitionInfo::leader)
                    .collect(Collectors.groupingBy(leader -> leader.id(), Collectors.counting()));
            return Collections.max(led.entrySet(), Map.Entry.comparingByValue()).getKey();
        }
    }

    private HttpResponse<String> retryUntilAnswered(String user, String key) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                HttpResponse<String> response = create(user, key);
                if (response.statusCode() == 201 || System.nanoTime() > deadline) {
                    return response;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(200);
        }
    }

    private HttpResponse<String> create(String user, String key) throws IOException, InterruptedException {
        return http.send(request(user, "/api/cards").header("Idempotency-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"md-note\",\"title\":\"" + key + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String user, String path) throws IOException, InterruptedException {
        return http.send(request(user, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String user, String path) {
        return HttpRequest.newBuilder(application.uri().resolve(URI.create(path)))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + Tokens.forUser(user));
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
    }

    private static void waitUntil(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(100);
        }
    }

}
