package dev.pawkit.sync.bench.reliability;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Reads the log and the views once the clients are done and checks them against the history,
 * again and again until they pass or stop changing (bounded): writes a client gave up on may
 * still be decided after it stopped, and the views follow the log a moment behind.
 */
public final class Audit {

    private static final Duration PAUSE = Duration.ofMillis(500);
    /** A failure seen this many times in a row, with nothing new in the log, is the answer. */
    private static final int STABLE_READINGS = 3;

    private Audit() {
    }

    public static Verdict check(History history, CommittedEvents log, ViewReader views, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Exchange> exchanges = history.exchanges();
        Verdict last = null;
        int sameInARow = 0;
        RuntimeException unreadable = null;
        while (true) {
            try {
                if (log.settled()) {
                    List<LoggedEvent> events = log.read();
                    Verdict verdict = HistoryChecker.check(exchanges, events, views.read(exchanges, events));
                    if (verdict.passed()) {
                        return verdict;
                    }
                    boolean same = last != null && last.events() == verdict.events()
                            && last.violations().equals(verdict.violations());
                    sameInARow = same ? sameInARow + 1 : 1;
                    last = verdict;
                    if (sameInARow >= STABLE_READINGS) {
                        return verdict;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // A view not answering yet (a rebalance, a restart): read again, up to the deadline.
                unreadable = e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                if (last != null) {
                    return last;
                }
                throw new IllegalStateException("could not read the log and the views within " + timeout, unreadable);
            }
            Thread.sleep(PAUSE.toMillis());
        }
    }
}
