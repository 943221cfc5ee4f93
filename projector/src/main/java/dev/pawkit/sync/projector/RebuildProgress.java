package dev.pawkit.sync.projector;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** How far a rebuild has come: events folded so far, against the events the log held when it started. */
public final class RebuildProgress {

    private final AtomicLong folded = new AtomicLong();
    private volatile long target;

    void folded() {
        folded.incrementAndGet();
    }

    void target(long events) {
        this.target = events;
    }

    public long foldedEvents() {
        return folded.get();
    }

    /** An upper bound: the log's offsets also count transaction markers, which are not events. */
    public long targetEvents() {
        return target;
    }

    /** "events 12,000 / 1,000,000 (1.2%), 45,000 events/s, ETA 21 s" for a rate measured over {@code window}. */
    public String describe(long foldedBefore, Duration window) {
        long done = foldedEvents();
        double rate = (done - foldedBefore) / Math.max(0.001, window.toMillis() / 1000.0);
        long remaining = Math.max(0, target - done);
        String eta = rate < 1 ? "?" : String.format("%d s", (long) Math.ceil(remaining / rate));
        return String.format("events %,d / ~%,d (%.1f%%), %,.0f events/s, ETA %s", done, target,
                target == 0 ? 100.0 : Math.min(100.0, 100.0 * done / target), rate, eta);
    }
}
