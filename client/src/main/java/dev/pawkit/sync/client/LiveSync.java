package dev.pawkit.sync.client;

import java.io.IOException;
import java.time.Duration;

/**
 * Keeps the cache following the server while the client runs, on a thread of its own: pulls the
 * change feed (what happened while away), then follows the live stream from where the pull ended;
 * when the stream ends it reconnects from the stored cursor after a short pause (the server's
 * {@code retry:}, 1 s by default; longer, up to 30 s, while connections keep failing). When the
 * server refuses the stream (an older server's 404/405/406, 401, 429 or 503 with Retry-After, 400)
 * it polls the feed every {@code pollInterval} instead and tries the stream again after the
 * poll interval or the server's {@code Retry-After}, whichever is longer.
 */
final class LiveSync implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LiveSync.class.getName());
    private static final Duration FIRST_RECONNECT = Duration.ofSeconds(1);
    private static final Duration MAX_RECONNECT = Duration.ofSeconds(30);

    private final DeltaSync deltaSync;
    private final ChangeStreamReader reader;
    private final Duration pollInterval;
    private final Thread thread;
    private final Object pause = new Object();
    private volatile boolean closed;
    private boolean started;

    LiveSync(DeltaSync deltaSync, ChangeStreamReader reader, Duration pollInterval) {
        this.deltaSync = deltaSync;
        this.reader = reader;
        this.pollInterval = pollInterval;
        this.thread = new Thread(this::run, "pawkit-sync-stream");
        thread.setDaemon(true);
    }

    synchronized void start() {
        if (!started && !closed) {
            started = true;
            thread.start();
        }
    }

    private void run() {
        int failures = 0;
        while (!closed) {
            try {
                deltaSync.pull();
            } catch (IOException | RuntimeException e) {
                failures++;
                LOG.log(System.Logger.Level.DEBUG, "pull failed; trying again", e);
                pause(backoff(failures));
                continue;
            } catch (InterruptedException e) {
                return;
            }
            ChangeStreamReader.End end = reader.follow();
            if (closed) {
                return;
            }
            if (end instanceof ChangeStreamReader.Ended ended) {
                failures = ended.lines() > 0 ? 0 : failures + 1;
                Duration retry = ended.retry() != null ? ended.retry() : FIRST_RECONNECT;
                pause(failures == 0 ? retry : max(retry, backoff(failures)));
            } else if (end instanceof ChangeStreamReader.Refused refused) {
                LOG.log(System.Logger.Level.INFO, "the change stream was refused (HTTP " + refused.status()
                        + "); polling the change feed every " + pollInterval + " meanwhile");
                failures = 0;
                poll(refused.retryAfter() == null ? pollInterval : max(pollInterval, refused.retryAfter()));
            } else {
                failures++;
                pause(backoff(failures));
            }
        }
    }

    /** Pulls every poll interval until {@code total} has passed (the loop pulls once more before the stream). */
    private void poll(Duration total) {
        Duration left = total;
        while (!closed && left.compareTo(pollInterval) > 0) {
            pause(pollInterval);
            left = left.minus(pollInterval);
            try {
                deltaSync.pull();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "poll failed", e);
            } catch (InterruptedException e) {
                return;
            }
        }
        pause(left);
    }

    private static Duration backoff(int failures) {
        Duration delay = FIRST_RECONNECT.multipliedBy(1L << Math.min(failures - 1, 10));
        return delay.compareTo(MAX_RECONNECT) > 0 ? MAX_RECONNECT : delay;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private void pause(Duration duration) {
        synchronized (pause) {
            if (!closed && !duration.isZero() && !duration.isNegative()) {
                try {
                    pause.wait(duration.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closed = true;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (pause) {
            pause.notifyAll();
        }
        reader.close();
        // The stream's body may be waiting for bytes: interrupting ends the wait.
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
