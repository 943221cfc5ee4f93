package dev.pawkit.sync.bench;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one load run measured: requests answered, the writes among them, latency of every request
 * (microseconds, HdrHistogram), the statuses seen, answers other than the contract's, and the
 * check after the run (cards whose version is not the number of acknowledged writes to them).
 */
record LoadFigures(String label, double seconds, long requests, long writes, long creates, Histogram latencyMicros,
        Map<Integer, Long> statuses, long unexpected, long cardsChecked, long mismatches) {

    double requestsPerSecond() {
        return requests / seconds;
    }

    double writesPerSecond() {
        return writes / seconds;
    }

    double createsPerSecond() {
        return creates / seconds;
    }

    double millis(double percentile) {
        return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Every answer the contract's, every card at its acknowledged version. */
    boolean clean() {
        return unexpected == 0 && mismatches == 0;
    }
}
