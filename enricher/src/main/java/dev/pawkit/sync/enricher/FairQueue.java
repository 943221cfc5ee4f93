package dev.pawkit.sync.enricher;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * Which page to fetch next, so that no site and no user can starve the others: hosts take turns
 * (round-robin), and within a host its users take turns; a user's own pages go in the order they
 * were asked for. A host already fetched {@code perHostLimit} times at once is skipped until one
 * of those ends, so a slow site holds at most that many workers. A retry waits in a list of its
 * own until its time, holding no worker, then keeps its place at the head of its user's line.
 *
 * <p>Pure and single-threaded: no clock (time is passed in), no threads, no Kafka; the enricher
 * wraps it in a lock ({@link BlockingFairQueue}). Hand-written, and why: no queue library here
 * (the JDK's, Caffeine, Resilience4j) serves in turn by two keys with a per-key limit.
 *
 * @param <T> a fetch waiting for a worker
 */
final class FairQueue<T> {

    private final int perHostLimit;
    /** Hosts with pages waiting, in turn order: the first eligible one is served and goes to the back. */
    private final LinkedHashMap<String, Host<T>> hosts = new LinkedHashMap<>();
    /** Fetches running now, per host. */
    private final Map<String, Integer> running = new HashMap<>();
    private final PriorityQueue<Later<T>> later = new PriorityQueue<>();
    private long sequence;
    private int ready;

    FairQueue(int perHostLimit) {
        if (perHostLimit < 1) {
            throw new IllegalArgumentException("perHostLimit must be at least 1, not " + perHostLimit);
        }
        this.perHostLimit = perHostLimit;
    }

    /** A page asked for now: at the back of its user's line. */
    void add(String host, String user, T fetch) {
        hosts.computeIfAbsent(host, h -> new Host<>()).add(user, fetch, false);
        ready++;
    }

    /** A retry: waits until {@code at}, then goes to the head of its user's line. */
    void addLater(String host, String user, T fetch, Instant at) {
        later.add(new Later<>(at, sequence++, host, user, fetch));
    }

    /**
     * The next fetch to run at {@code now}, counted as running on its host until {@link #done}; empty
     * when nothing is due, or every host with pages waiting runs its limit already.
     */
    Optional<Taken<T>> next(Instant now) {
        while (!later.isEmpty() && !later.peek().at().isAfter(now)) {
            Later<T> due = later.poll();
            hosts.computeIfAbsent(due.host(), h -> new Host<>()).add(due.user(), due.fetch(), true);
            ready++;
        }
        for (Iterator<Map.Entry<String, Host<T>>> turn = hosts.entrySet().iterator(); turn.hasNext(); ) {
            Map.Entry<String, Host<T>> entry = turn.next();
            String host = entry.getKey();
            if (running.getOrDefault(host, 0) >= perHostLimit) {
                continue;
            }
            Host<T> line = entry.getValue();
            T fetch = line.take();
            turn.remove();
            if (!line.isEmpty()) {
                // Served: to the back of the turn order.
                hosts.put(host, line);
            }
            running.merge(host, 1, Integer::sum);
            ready--;
            return Optional.of(new Taken<>(host, fetch));
        }
        return Optional.empty();
    }

    /** A fetch taken from {@link #next} on this host ended (answered, or to be retried later). */
    void done(String host) {
        running.computeIfPresent(host, (h, count) -> count == 1 ? null : count - 1);
    }

    /** When the earliest retry is due, if one waits: when {@link #next} may have something new without an add. */
    Optional<Instant> nextDue() {
        return later.isEmpty() ? Optional.empty() : Optional.of(later.peek().at());
    }

    /** Fetches waiting, now or for later (not those running). */
    int size() {
        return ready + later.size();
    }

    /** Drops the waiting fetches that match (their partition went to another instance, which asks again). */
    void removeIf(Predicate<T> drop) {
        later.removeIf(waiting -> drop.test(waiting.fetch()));
        for (Iterator<Host<T>> each = hosts.values().iterator(); each.hasNext(); ) {
            Host<T> line = each.next();
            ready -= line.removeIf(drop);
            if (line.isEmpty()) {
                each.remove();
            }
        }
    }

    /** A fetch handed out, and the host it counts against. */
    record Taken<T>(String host, T fetch) {
    }

    private record Later<T>(Instant at, long sequence, String host, String user, T fetch)
            implements Comparable<Later<T>> {

        @Override
        public int compareTo(Later<T> other) {
            int byTime = at.compareTo(other.at);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    /** One host's users, in turn order, each with their own line. */
    private static final class Host<T> {

        private final LinkedHashMap<String, ArrayDeque<T>> users = new LinkedHashMap<>();

        void add(String user, T fetch, boolean first) {
            ArrayDeque<T> line = users.computeIfAbsent(user, u -> new ArrayDeque<>());
            if (first) {
                line.addFirst(fetch);
            } else {
                line.addLast(fetch);
            }
        }

        /** The first user's next fetch; that user goes to the back of the turn order. */
        T take() {
            Iterator<Map.Entry<String, ArrayDeque<T>>> first = users.entrySet().iterator();
            Map.Entry<String, ArrayDeque<T>> entry = first.next();
            first.remove();
            T fetch = entry.getValue().pollFirst();
            if (!entry.getValue().isEmpty()) {
                users.put(entry.getKey(), entry.getValue());
            }
            return fetch;
        }

        boolean isEmpty() {
            return users.isEmpty();
        }

        int removeIf(Predicate<T> drop) {
            int removed = 0;
            for (Iterator<ArrayDeque<T>> each = users.values().iterator(); each.hasNext(); ) {
                ArrayDeque<T> line = each.next();
                int before = line.size();
                line.removeIf(drop);
                removed += before - line.size();
                if (line.isEmpty()) {
                    each.remove();
                }
            }
            return removed;
        }
    }
}
