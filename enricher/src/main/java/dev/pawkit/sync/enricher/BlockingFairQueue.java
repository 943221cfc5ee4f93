package dev.pawkit.sync.enricher;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The {@link FairQueue} shared by the poll thread (which adds what it reads) and the fetch workers
 * (which take, and put retries back for later): one lock around it, and workers wait on it until
 * a page may be fetched (one added, a host's fetch ended, a retry came due).
 */
final class BlockingFairQueue<T> {

    /** A worker looks again at least this often, whatever it was told. */
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(1);

    private final FairQueue<T> queue;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    BlockingFairQueue(int perHostLimit, Clock clock) {
        this.queue = new FairQueue<>(perHostLimit);
        this.clock = clock;
    }

    void add(String host, String user, T fetch) {
        locked(() -> queue.add(host, user, fetch));
    }

    void addLater(String host, String user, T fetch, Instant at) {
        locked(() -> queue.addLater(host, user, fetch, at));
    }

    void done(String host) {
        locked(() -> queue.done(host));
    }

    void removeIf(Predicate<T> drop) {
        locked(() -> queue.removeIf(drop));
    }

    /** Waits until a fetch may run, and hands it out (it counts against its host until {@link #done}). */
    FairQueue.Taken<T> take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                Instant now = clock.instant();
                Optional<FairQueue.Taken<T>> next = queue.next(now);
                if (next.isPresent()) {
                    return next.get();
                }
                Duration wait = queue.nextDue().map(due -> Duration.between(now, due)).orElse(LONGEST_WAIT);
                changed.await(Math.max(1, Math.min(wait.toMillis(), LONGEST_WAIT.toMillis())), TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private void locked(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
