package dev.pawkit.sync.client;

import static dev.pawkit.sync.client.FaultProxy.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pawkit.sync.testsupport.Tokens;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Started clients follow the server's live change stream (a pull first, then the stream from where
 * it ended), so two devices of one user see each other's changes without polling; a client closed
 * or killed resumes from its stored cursor with no gap and no duplicate; a refused stream falls
 * back to polling the feed. Delays are printed, never asserted.
 */
class LiveStreamTest extends StackTest {

    private static final String STREAM = "/api/cards/changes/stream";
    private static final Duration NO_POLLING = Duration.ofHours(1);

    @Test
    void twoClientsOfOneUserSeeEachOthersChangesThroughTheStream() throws Exception {
        PawkitSyncClient desktop = open(config("desktop").pollInterval(NO_POLLING));
        PawkitSyncClient mobile = open(config("mobile").pollInterval(NO_POLLING));
        desktop.start();
        mobile.start();
        awaitStreams(2);

        long start = System.nanoTime();
        LocalCard first = desktop.create(note("the first change"));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> mobile.card(first.id()).isPresent());
        long firstCreated = elapsedMs(start);

        start = System.nanoTime();
        LocalCard card = desktop.create(note("from the desktop").withTitle("Desktop"));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> mobile.card(card.id()).isPresent());
        long created = elapsedMs(start);

        start = System.nanoTime();
        mobile.update(card.id(), CardPatch.empty().title("Mobile"));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> desktop.card(card.id()).orElseThrow().fields().title().equals("Mobile")
                        && desktop.card(card.id()).orElseThrow().syncState() == LocalCard.SyncState.SYNCED);
        long updated = elapsedMs(start);

        start = System.nanoTime();
        desktop.delete(card.id());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> mobile.card(card.id()).isEmpty());
        long deleted = elapsedMs(start);
        System.out.printf("live stream, from the local change on one client to the other showing it: first create"
                + " %d ms, create %d ms, update %d ms, delete %d ms%n", firstCreated, created, updated, deleted);

        // No polling: besides the streams, each client read the feed once, when it started.
        assertThat(proxy.exchanges()).filteredOn(path("/api/cards/changes")).hasSize(2);
        assertThat(server().history(card.id())).hasSize(3);
        assertThat(server().card(card.id())).isEmpty();
    }

    @Test
    void aClosedClientResumesItsStreamWithNoGapAndNoDuplicate() throws Exception {
        PawkitSyncClient desktop = open(config("desktop").pollInterval(NO_POLLING));
        List<String> seen = new CopyOnWriteArrayList<>();
        PawkitSyncClient mobile = open(config("mobile").pollInterval(NO_POLLING).listener(recording(seen)));
        mobile.start();
        awaitStreams(1);
        LocalCard first = desktop.create(note("before the restart"));
        syncAll(desktop);
        await().atMost(Duration.ofSeconds(10)).until(() -> mobile.card(first.id()).isPresent());
        mobile.close();

        List<LocalCard> whileAway = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            whileAway.add(desktop.create(note("while away " + i)));
        }
        desktop.update(first.id(), CardPatch.empty().title("edited while away"));
        syncAll(desktop);

        List<String> afterRestart = new CopyOnWriteArrayList<>();
        PawkitSyncClient restarted = open(config("mobile").pollInterval(NO_POLLING).listener(recording(afterRestart)));
        restarted.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> restarted.cards().size() == 6
                && "edited while away".equals(restarted.card(first.id()).orElseThrow().fields().title()));
        // And live again: a change made now arrives through the new stream.
        LocalCard live = desktop.create(note("after the restart"));
        syncAll(desktop);
        await().atMost(Duration.ofSeconds(10)).until(() -> restarted.card(live.id()).isPresent());

        assertThat(seen).containsExactly(first.id() + "@1");
        assertThat(afterRestart).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected(whileAway, first,
                live));
    }

    @Test
    void aKilledClientResumesFromWhatItStoredWithNoGapAndNoDuplicate() throws Exception {
        PawkitSyncClient desktop = open(config("desktop").pollInterval(NO_POLLING));
        Path store = dir.resolve("killed.db");
        Process follower = follow(store);
        awaitStreams(1);
        // The desktop writes 20 cards one by one; the follower is killed (kill -9) in the middle.
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 20; i++) {
                desktop.create(note("card " + i));
                try {
                    syncAll(desktop);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        writer.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> storedCards(store).size() >= 5);
        follower.destroyForcibly();
        assertThat(follower.waitFor(10, TimeUnit.SECONDS)).isTrue();
        writer.join(60_000);
        assertThat(server().liveCards()).hasSize(20);

        Set<String> stored = storedCards(store);
        System.out.printf("the killed client had stored %d of the 20 cards%n", stored.size());
        List<String> afterRestart = new CopyOnWriteArrayList<>();
        PawkitSyncClient restarted = open(SyncConfig.builder(proxy.uri(), () -> Tokens.forUser(user), store)
                .pollInterval(NO_POLLING).listener(recording(afterRestart)));
        restarted.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> restarted.cards().size() == 20);

        // No gap: all 20; no duplicate: nothing it had stored came again, nothing came twice.
        assertThat(afterRestart).doesNotHaveDuplicates().hasSize(20 - stored.size())
                .noneMatch(seen -> stored.contains(seen.substring(0, seen.indexOf('@'))));
    }

    @Test
    void aRefusedStreamFallsBackToPollingTheFeed() throws Exception {
        // An older server: no stream endpoint.
        proxy.failAlways(path(STREAM), FaultProxy.Fault.NOT_FOUND);
        PawkitSyncClient desktop = open(config("desktop").pollInterval(Duration.ofMillis(200)));
        PawkitSyncClient mobile = open(config("mobile").pollInterval(Duration.ofMillis(200)));
        desktop.start();
        mobile.start();

        LocalCard card = desktop.create(note("polled"));
        await().atMost(Duration.ofSeconds(10)).until(() -> mobile.card(card.id()).isPresent());
        mobile.update(card.id(), CardPatch.empty().title("polled back"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "polled back".equals(
                desktop.card(card.id()).orElseThrow().fields().title()));

        assertThat(proxy.exchanges()).filteredOn(path(STREAM)).isNotEmpty()
                .allSatisfy(e -> assertThat(e.status()).isEqualTo(404));
        assertThat(proxy.exchanges()).filteredOn(path("/api/cards/changes")).hasSizeGreaterThan(2);
        assertThat(server().history(card.id())).hasSize(2);

        // The stream comes back (the server was upgraded): the next try follows it again.
        proxy.clearFaults();
        awaitStreams(2);
    }

    private void awaitStreams(int open) {
        await().atMost(Duration.ofSeconds(15)).until(() -> proxy.exchanges().stream()
                .filter(e -> path(STREAM).test(e) && e.status() == 200).count() >= open);
    }

    private static SyncListener recording(List<String> seen) {
        return new SyncListener() {
            @Override
            public void serverChanges(List<ServerCard> cards) {
                cards.forEach(card -> seen.add(card.id() + "@" + card.version()));
            }
        };
    }

    private static List<String> expected(List<LocalCard> created, LocalCard edited, LocalCard live) {
        List<String> expected = new ArrayList<>();
        created.forEach(card -> expected.add(card.id() + "@1"));
        expected.add(edited.id() + "@2");
        expected.add(live.id() + "@1");
        return expected;
    }

    /** The card ids a store holds in its cache, read straight from the file. */
    private static Set<String> storedCards(Path store) throws Exception {
        Set<String> ids = new HashSet<>();
        try (var connection = DriverManager.getConnection("jdbc:sqlite:" + store);
                var rows = connection.createStatement().executeQuery("SELECT id FROM cards")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private Process follow(Path store) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", classpath, FollowProcess.class.getName(),
                proxy.uri().toString(), Tokens.forUser(user), store.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("follow.log").toFile())
                .start();
    }

    private static long elapsedMs(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
