package dev.pawkit.sync.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who is served next: hosts in turn, users in turn within a host, a per-host limit, retries later. */
class FairQueueTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    private final FairQueue<String> queue = new FairQueue<>(2);

    /** Takes what is due at {@code now}, finishing each at once (so no host limit is met). */
    private List<String> drain(Instant now) {
        List<String> order = new ArrayList<>();
        for (Optional<FairQueue.Taken<String>> next = queue.next(now); next.isPresent(); next = queue.next(now)) {
            order.add(next.get().fetch());
            queue.done(next.get().host());
        }
        return order;
    }

    @Test
    void aNewHostIsServedNextWhateverTheBacklogOfAnother() {
        for (int i = 1; i <= 10_000; i++) {
            queue.add("dead.example:80", "user-" + (i % 100), "dead-" + i);
        }
        queue.add("good.example:443", "newcomer", "new");

        List<String> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            FairQueue.Taken<String> taken = queue.next(T0).orElseThrow();
            order.add(taken.fetch());
            queue.done(taken.host());
        }
        assertThat(order).as("the new host's page second, after one of the backlog").containsExactly("dead-1", "new", "dead-2");
        assertThat(queue.size()).isEqualTo(9_998);
    }

    @Test
    void withinAHostUsersTakeTurnsAndEachUsersPagesKeepTheirOrder() {
        queue.add("site:80", "alice", "a1");
        queue.add("site:80", "alice", "a2");
        queue.add("site:80", "alice", "a3");
        queue.add("site:80", "bob", "b1");
        queue.add("site:80", "carol", "c1");
        queue.add("site:80", "bob", "b2");

        assertThat(drain(T0)).containsExactly("a1", "b1", "c1", "a2", "b2", "a3");
    }

    @Test
    void aHostAtItsLimitIsSkippedUntilOneOfItsFetchesEnds() {
        queue.add("slow:80", "u", "s1");
        queue.add("slow:80", "u", "s2");
        queue.add("slow:80", "u", "s3");
        queue.add("fast:80", "v", "f1");
        queue.add("fast:80", "v", "f2");

        List<FairQueue.Taken<String>> running = new ArrayList<>();
        for (Optional<FairQueue.Taken<String>> next = queue.next(T0); next.isPresent(); next = queue.next(T0)) {
            running.add(next.get());
        }
        assertThat(running).extracting(FairQueue.Taken::fetch).containsExactly("s1", "f1", "s2", "f2");
        assertThat(queue.next(T0)).as("slow:80 runs 2 already").isEmpty();

        queue.done("slow:80");
        assertThat(queue.next(T0).orElseThrow().fetch()).isEqualTo("s3");
    }

    @Test
    void aRetryWaitsForItsTimeWithoutBlockingOthersThenGoesFirstInItsUsersLine() {
        queue.addLater("site:80", "alice", "a1-retry", T0.plusSeconds(2));
        queue.add("site:80", "alice", "a2");
        queue.add("site:80", "bob", "b1");

        assertThat(drain(T0)).containsExactly("a2", "b1");
        assertThat(queue.nextDue()).contains(T0.plusSeconds(2));
        assertThat(queue.size()).isEqualTo(1);
        assertThat(drain(T0.plus(Duration.ofMillis(1999)))).isEmpty();

        queue.add("site:80", "alice", "a3");
        assertThat(drain(T0.plusSeconds(2))).containsExactly("a1-retry", "a3");
        assertThat(queue.nextDue()).isEmpty();
        assertThat(queue.size()).isZero();
    }

    @Test
    void fetchesOfARevokedPartitionAreDroppedWaitingOrLater() {
        queue.add("site:80", "alice", "p0-a");
        queue.add("site:80", "alice", "p1-a");
        queue.add("other:80", "bob", "p1-b");
        queue.addLater("site:80", "carol", "p1-c", T0);

        queue.removeIf(fetch -> fetch.startsWith("p1-"));

        assertThat(queue.size()).isEqualTo(1);
        assertThat(drain(T0)).containsExactly("p0-a");
    }
}
