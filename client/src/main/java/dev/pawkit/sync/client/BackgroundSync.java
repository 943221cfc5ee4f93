package dev.pawkit.sync.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Drains in the background: once at start (what a previous run left is sent first), after every
 * local write, when the earliest scheduled retry falls due, and on a fixed timer, so the queue
 * resumes by itself once the server is reachable again, without waiting for a new write.
 */
final class BackgroundSync implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BackgroundSync.class.getName());

    private final QueueDrainer drainer;
    private final Clock clock;
    private final Duration interval;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pawkit-sync-drain");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private ScheduledFuture<?> retryWake;

    BackgroundSync(QueueDrainer drainer, Clock clock, Duration interval) {
        this.drainer = drainer;
        this.clock = clock;
        this.interval = interval;
    }

    void start() {
        if (started.compareAndSet(false, true)) {
            scheduler.scheduleWithFixedDelay(this::drain, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A local write happened: drain soon (several writes in a row share one drain). */
    void wake() {
        if (started.get() && wakeQueued.compareAndSet(false, true)) {
            scheduler.execute(() -> {
                wakeQueued.set(false);
                drain();
            });
        }
    }

    private void drain() {
        try {
            DrainReport report = drainer.drain();
            report.nextRetry().ifPresent(this::wakeAt);
        } catch (RuntimeException e) {
            // The timer must survive a failed drain (e.g. a store error); the next tick tries again.
            LOG.log(System.Logger.Level.WARNING, "queue drain failed", e);
        }
    }

    private void wakeAt(Instant at) {
        if (retryWake != null) {
            retryWake.cancel(false);
        }
        long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        retryWake = scheduler.schedule(this::drain, delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
