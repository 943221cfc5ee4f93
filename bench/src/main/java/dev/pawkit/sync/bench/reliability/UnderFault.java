package dev.pawkit.sync.bench.reliability;

import dev.pawkit.sync.bench.CardApi;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A workload with a fault injected while it writes: the fault starts after a warm-up, in a thread
 * of its own, and the clients go on writing (and retrying) until it has ended and healed, so that
 * every fault meets writes in flight. Bounded: the workload in {@link #WORKLOAD_TIMEOUT}, the
 * fault in {@link #FAULT_TIMEOUT}.
 */
final class UnderFault {

    /** The fault: kills, restarts, proxy modes; returns once everything it broke serves again. */
    interface Fault {
        void inject() throws Exception;
    }

    static final Duration WORKLOAD_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration FAULT_TIMEOUT = Duration.ofMinutes(12);

    private UnderFault() {
    }

    /**
     * Runs the workload over {@code instances} and {@code fault} beside it; returns the history once
     * both are done. A fault that fails fails the run: its scenario proved nothing.
     */
    static History run(List<CardApi> instances, String userPrefix, Workload.Size size, Duration thinkTime,
            Duration warmUp, Fault fault, PrintStream out) throws Exception {
        AtomicBoolean faulting = new AtomicBoolean(true);
        long start = System.nanoTime();
        CompletableFuture<Void> injected = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(warmUp.toMillis());
                fault.inject();
            } catch (Exception e) {
                throw new IllegalStateException("the fault failed: " + e.getMessage(), e);
            } finally {
                faulting.set(false);
            }
        }, task -> new Thread(task, "fault-injector").start());
        History history;
        try {
            history = new Workload(instances, userPrefix, size,
                    Workload.Conduct.underFaults(faulting::get, thinkTime)).run(WORKLOAD_TIMEOUT);
        } finally {
            // The workload failed or ended: the fault's thread ends with it, bounded.
            joinFault(injected);
        }
        out.printf("workload done in %.1f s: %d attempts%n", (System.nanoTime() - start) / 1e9,
                history.exchanges().size());
        return history;
    }

    private static void joinFault(CompletableFuture<Void> injected) throws Exception {
        try {
            injected.get(FAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new IllegalStateException("the fault did not end within " + FAULT_TIMEOUT, e);
        }
    }

    /** Seconds since {@code start} (System.nanoTime), for the fault's log lines. */
    static String since(long start) {
        return String.format(java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9);
    }
}
