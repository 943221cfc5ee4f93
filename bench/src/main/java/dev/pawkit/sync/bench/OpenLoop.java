package dev.pawkit.sync.bench;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Open-loop load: creates sent at a fixed rate whether or not earlier ones were answered, as
 * independent users do. Latency counts from the moment a request was due, not from when it went
 * out, so a server that stalls is charged for every request that waited behind the stall (the
 * correction for coordinated omission that a closed loop cannot make). Users rotate over
 * {@code users}, spread over partitions.
 */
final class OpenLoop {

    /** Requests in flight at most; beyond that the server is not keeping up and the run says so. */
    private static final int MAX_IN_FLIGHT = 4_000;

    private final CardApi api;
    private final int users;

    OpenLoop(CardApi api, int users) {
        this.api = api;
        this.users = users;
    }

    LoadFigures run(String label, int perSecond, Duration duration) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Recorder latency = new Recorder(3);
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong inFlight = new AtomicLong();
        ConcurrentLinkedQueue<CompletableFuture<?>> pending = new ConcurrentLinkedQueue<>();
        long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long total = perSecond * duration.toSeconds();
        long started = System.nanoTime();
        long skipped = 0;
        for (long i = 0; i < total; i++) {
            long due = started + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (inFlight.get() >= MAX_IN_FLIGHT) {
                // Not sent: counted as a failure, and charged the whole run's length below.
                skipped++;
                continue;
            }
            inFlight.incrementAndGet();
            String body = "{\"type\":\"md-note\",\"title\":\"open loop\",\"content\":\"" + i + "\"}";
            CompletableFuture<HttpResponse<String>> sent = api.sendAsync("POST", "/api/cards",
                    "open-" + run + "-" + (i % users), body, Map.of("Idempotency-Key", UUID.randomUUID().toString()));
            pending.add(sent.whenComplete((response, error) -> {
                inFlight.decrementAndGet();
                latency.recordValue((System.nanoTime() - due) / 1000);
                if (error == null) {
                    statuses.computeIfAbsent(response.statusCode(), k -> new AtomicLong()).incrementAndGet();
                }
            }));
        }
        for (CompletableFuture<?> request : pending) {
            try {
                request.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Not a 201: counted as unexpected below.
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Histogram histogram = latency.getIntervalHistogram();
        for (long s = 0; s < skipped; s++) {
            histogram.recordValue(TimeUnit.NANOSECONDS.toMicros(duration.toNanos()));
        }
        Map<Integer, Long> seen = new TreeMap<>();
        statuses.forEach((status, count) -> seen.put(status, count.get()));
        long created = seen.getOrDefault(201, 0L);
        long unexpected = total - created;
        return new LoadFigures(label, seconds, histogram.getTotalCount(), created, created, histogram, seen,
                unexpected, 0, 0);
    }
}
