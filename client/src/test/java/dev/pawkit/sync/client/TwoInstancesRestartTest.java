package dev.pawkit.sync.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pawkit.sync.api.PawkitApplication;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.infra.FreePorts;
import dev.pawkit.sync.testsupport.EmbeddedApplication;
import dev.pawkit.sync.testsupport.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two devices of one user, each on its own API instance (two API + projector instances on one
 * broker, splitting the partitions); one instance stops and starts again, on the same address,
 * while both devices keep writing. Afterwards both devices hold exactly the server's cards, every
 * acknowledged write is in the committed log once, and each device was told of every change once:
 * no gap, no duplicate through the streams' ends, the rebalances and the reconnects.
 */
class TwoInstancesRestartTest extends StackTest {

    private static final Duration NO_POLLING = Duration.ofHours(1);
    /** Patient: a rebalance may hold reads and decisions for seconds; an operation must not give up meanwhile. */
    private static final RetryPolicy PATIENT = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 200, 2.0);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private volatile EmbeddedApplication second;

    @AfterEach
    void stopSecondInstance() throws Exception {
        if (second != null) {
            second.close();
            second = null;
        }
        // The shared stack's instance takes every partition back before the next test meets it.
        awaitServesEveryPartition(stack.uri());
    }

    @Test
    void devicesOnTwoInstancesConvergeThroughOneInstancesRestartWithEveryWriteOnce() throws Exception {
        int secondPort = FreePorts.pick();
        second = startSecond(secondPort);
        URI secondUri = second.uri();
        awaitServesEveryPartition(stack.uri());
        awaitServesEveryPartition(secondUri);

        List<String> toldA = new CopyOnWriteArrayList<>();
        List<String> toldB = new CopyOnWriteArrayList<>();
        String token = Tokens.forUser(user);
        // A through the shared stack's instance (behind the proxy), B on the second instance.
        PawkitSyncClient a = open(config("a").retryPolicy(PATIENT).pollInterval(NO_POLLING).listener(recording(toldA)));
        PawkitSyncClient b = open(SyncConfig.builder(secondUri, () -> token, dir.resolve("b.db"))
                .retryPolicy(PATIENT).connectTimeout(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(10))
                .drainInterval(Duration.ofMillis(100)).pollInterval(NO_POLLING).listener(recording(toldB)));
        a.start();
        b.start();

        List<String> created = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            created.add(a.create(note("a before " + i)).id());
            created.add(b.create(note("b before " + i)).id());
        }
        awaitBothTold(created, a, toldA, b, toldB);

        // The second instance stops (its streams end, its partitions move to the first) and starts
        // again on the same port (they are split again), while both devices go on writing.
        Thread restart = new Thread(() -> {
            second.close();
            second = startSecond(secondPort);
        }, "restart-second");
        restart.start();
        int during = 0;
        while (restart.isAlive() || during < 10) {
            created.add(a.create(note("a during " + during)).id());
            created.add(b.create(note("b during " + during)).id());
            during++;
            Thread.sleep(200);
        }
        restart.join();
        for (int i = 0; i < 4; i++) {
            created.add(a.create(note("a after " + i)).id());
            created.add(b.create(note("b after " + i)).id());
        }
        syncAll(a);
        syncAll(b);
        awaitBothTold(created, a, toldA, b, toldB);
        System.out.printf("%d cards written, %d of them on each device while the second instance restarted%n",
                created.size(), during);

        // Every acknowledged write in the committed log exactly once: one create event per card.
        List<EventEnvelope> events = committedLog().eventsOf(user);
        assertThat(events).extracting(e -> e.event().cardId()).containsExactlyInAnyOrderElementsOf(created);
        assertThat(events).extracting(EventEnvelope::idempotencyKey).doesNotHaveDuplicates();
        // Both devices hold exactly the server's cards, at the server's versions.
        Map<String, Long> onServer = server().liveCards().stream()
                .collect(Collectors.toMap(card -> card.get("id").stringValue(), card -> card.get("version").longValue()));
        assertThat(onServer).hasSize(created.size());
        assertThat(versions(a)).isEqualTo(onServer);
        assertThat(versions(b)).isEqualTo(onServer);
        // Each device was told of every change once, its own included: no gap, no duplicate.
        List<String> everyChange = created.stream().map(id -> id + "@1").toList();
        assertThat(toldA).containsExactlyInAnyOrderElementsOf(everyChange);
        assertThat(toldB).containsExactlyInAnyOrderElementsOf(everyChange);
    }

    private static EmbeddedApplication startSecond(int port) {
        return EmbeddedApplication.start(PawkitApplication.class, stack.bootstrapServers(), Map.of(
                "server.port", Integer.toString(port),
                "pawkit.projector.application-id", "pawkit-projector-client-it",
                "pawkit.enricher.enabled", "false",
                "pawkit.analytics.enabled", "false",
                "pawkit.streams.heartbeat", "1s"));
    }

    /** Until both queues are empty and each device was told (by the server) of every card created. */
    private static void awaitBothTold(List<String> created, PawkitSyncClient a, List<String> toldA, PawkitSyncClient b,
            List<String> toldB) {
        // B's stream reconnects with a growing pause while its instance is down (up to 30 s).
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> a.status().idle() && b.status().idle() && toldOf(toldA).containsAll(created)
                        && toldOf(toldB).containsAll(created));
    }

    private static Set<String> toldOf(List<String> told) {
        return told.stream().map(change -> change.substring(0, change.indexOf('@'))).collect(Collectors.toSet());
    }

    /** What the device shows, card by card, at the server version it last had. */
    private static Map<String, Long> versions(PawkitSyncClient client) {
        return client.cards().stream().collect(Collectors.toMap(LocalCard::id, LocalCard::serverVersion));
    }

    private static SyncListener recording(List<String> told) {
        return new SyncListener() {
            @Override
            public void serverChanges(List<ServerCard> cards) {
                cards.forEach(card -> told.add(card.id() + "@" + card.version()));
            }
        };
    }

    /** Twelve users' card lists (spread over the six partitions) answered 200 by the instance: it serves them all. */
    private static void awaitServesEveryPartition(URI instance) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (int i = 0; i < 12; i++) {
                HttpRequest probe = HttpRequest.newBuilder(instance.resolve("/api/cards?limit=1"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + Tokens.forUser("probe-" + i)).build();
                if (HTTP.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                    return false;
                }
            }
            return true;
        });
    }
}
