package dev.pawkit.sync.bench;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop load: each client sends its next request when the previous one is answered, for a
 * fixed time after a warm-up of the same kind (whose figures are dropped). Clients are one user
 * each ({@link Users#MANY}, spread over partitions) or all one user ({@link Users#ONE}, one
 * partition, one writer). Cards are notes: no enricher version of their own.
 */
final class ClosedLoop {

    enum Workload {
        /** Creates with fresh keys: the headline figure. */
        CREATES,
        /**
         * The mix, per client over its own cards: 20% creates, 70% updates naming the
         * current version (If-Match), 5% retries of an earlier write with its key (a replay, answered
         * with {@code Idempotent-Replayed: true}), 5% updates naming a version already left (412).
         */
        MIX,
        /** A read without a token: the cheapest answer of the same server, the HTTP ceiling. */
        CEILING
    }

    enum Users { ONE, MANY }

    private static final Pattern VERSION = Pattern.compile("\"version\":(\\d+)");
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    private final CardApi api;
    private final Workload workload;
    private final Users users;

    ClosedLoop(CardApi api, Workload workload, Users users) {
        this.api = api;
        this.workload = workload;
        this.users = users;
    }

    LoadFigures run(String label, int clients, Duration warmup, Duration measure) throws InterruptedException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        load(clients, warmup, "warmup-" + run, new Recorder(3), new ConcurrentHashMap<>(), false);
        Recorder latency = new Recorder(3);
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        List<Client> done = load(clients, measure, "bench-" + run, latency, statuses, true);
        double seconds = (System.nanoTime() - started) / 1e9;
        Histogram histogram = latency.getIntervalHistogram();

        long cards = 0;
        long mismatches = 0;
        for (Client client : done) {
            cards += client.versions.size();
            mismatches += client.mismatchedVersions();
        }
        Map<Integer, Long> seen = new TreeMap<>();
        statuses.forEach((status, count) -> seen.put(status, count.get()));
        return new LoadFigures(label, seconds, histogram.getTotalCount(),
                done.stream().mapToLong(c -> c.writes).sum(), done.stream().mapToLong(c -> c.creates).sum(), histogram,
                seen, done.stream().mapToLong(c -> c.unexpected).sum(), cards, mismatches);
    }

    private List<Client> load(int clients, Duration duration, String userPrefix, Recorder latency,
            Map<Integer, AtomicLong> statuses, boolean verify) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        List<Client> done = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            String user = users == Users.ONE ? userPrefix : userPrefix + "-" + c;
            Client client = new Client(user, new Random(c), latency, statuses);
            Thread thread = new Thread(() -> {
                try {
                    while (System.nanoTime() < deadline) {
                        client.step();
                    }
                    if (verify) {
                        client.verify();
                    }
                } catch (Exception e) {
                    client.failure = e;
                }
                done.add(client);
            }, "load-" + c);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (Client client : done) {
            if (client.failure != null) {
                throw new IllegalStateException("a load client stopped: " + client.failure, client.failure);
            }
        }
        return done;
    }

    /** A request kept for a retry: the same key, method, path, body and headers, and what it got first. */
    private record Sent(String method, String path, String body, Map<String, String> headers, int status) {
    }

    private final class Client {

        private final String user;
        private final Random random;
        private final Recorder latency;
        private final Map<Integer, AtomicLong> statuses;
        private final List<String> cards = new ArrayList<>();
        private final Map<String, Long> versions = new HashMap<>();
        private final List<Sent> acknowledged = new ArrayList<>();
        private long writes;
        private long creates;
        private long unexpected;
        private long mismatches;
        private Exception failure;

        Client(String user, Random random, Recorder latency, Map<Integer, AtomicLong> statuses) {
            this.user = user;
            this.random = random;
            this.latency = latency;
            this.statuses = statuses;
        }

        void step() throws Exception {
            if (workload == Workload.CEILING) {
                expect(timed("GET", "/api/cards", null, null, Map.of()), 401);
                return;
            }
            double roll = workload == Workload.CREATES ? 0 : random.nextDouble();
            if (cards.isEmpty() || roll < 0.20) {
                create();
            } else if (roll < 0.90) {
                update(false);
            } else if (roll < 0.95 && !acknowledged.isEmpty()) {
                retry(acknowledged.get(random.nextInt(acknowledged.size())));
            } else {
                update(true);
            }
        }

        private void create() throws Exception {
            String body = "{\"type\":\"md-note\",\"title\":\"bench\",\"content\":\"" + UUID.randomUUID()
                    + "\",\"tags\":[\"a\",\"b\"]}";
            Map<String, String> headers = Map.of("Idempotency-Key", UUID.randomUUID().toString());
            HttpResponse<String> created = timed("POST", "/api/cards", user, body, headers);
            if (expect(created, 201)) {
                String id = match(ID, created.body());
                cards.add(id);
                versions.put(id, 1L);
                writes++;
                creates++;
                keep(new Sent("POST", "/api/cards", body, headers, 201));
            }
        }

        /** An update naming the card's version, or (stale) the one before it. */
        private void update(boolean stale) throws Exception {
            String id = cards.get(random.nextInt(cards.size()));
            long version = versions.get(id);
            if (stale && version < 2) {
                stale = false;
            }
            String path = "/api/cards/" + id;
            String body = "{\"title\":\"bench " + UUID.randomUUID() + "\"}";
            Map<String, String> headers = Map.of("If-Match", "\"" + (stale ? version - 1 : version) + "\"",
                    "Idempotency-Key", UUID.randomUUID().toString());
            HttpResponse<String> updated = timed("PATCH", path, user, body, headers);
            if (stale) {
                expect(updated, 412);
            } else if (expect(updated, 200)) {
                versions.put(id, version + 1);
                writes++;
                keep(new Sent("PATCH", path, body, headers, 200));
            }
        }

        /** The same request again: the first answer again, marked as a replay, and nothing written. */
        private void retry(Sent first) throws Exception {
            HttpResponse<String> again = timed(first.method(), first.path(), user, first.body(), first.headers());
            if (again.statusCode() != first.status()
                    || !again.headers().firstValue("Idempotent-Replayed").orElse("").equals("true")) {
                unexpected++;
            }
        }

        private void keep(Sent sent) {
            // A bounded window of recent writes: retries come soon after the request, as a client's do.
            if (acknowledged.size() == 64) {
                acknowledged.remove(random.nextInt(64));
            }
            acknowledged.add(sent);
        }

        private boolean expect(HttpResponse<String> response, int status) {
            if (response.statusCode() != status) {
                unexpected++;
                return false;
            }
            return true;
        }

        private HttpResponse<String> timed(String method, String path, String as, String body,
                Map<String, String> headers) throws Exception {
            long start = System.nanoTime();
            HttpResponse<String> response = api.send(method, path, as, body, headers);
            latency.recordValue((System.nanoTime() - start) / 1000);
            statuses.computeIfAbsent(response.statusCode(), k -> new AtomicLong()).incrementAndGet();
            return response;
        }

        /** Reads every card back: its version must be the number of acknowledged writes to it. */
        void verify() throws Exception {
            for (Map.Entry<String, Long> card : versions.entrySet()) {
                HttpResponse<String> read = api.send("GET", "/api/cards/" + card.getKey(), user, null, Map.of());
                if (read.statusCode() != 200 || Long.parseLong(match(VERSION, read.body())) != card.getValue()) {
                    mismatches++;
                }
            }
        }

        long mismatchedVersions() {
            return mismatches;
        }
    }

    private static String match(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body);
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected body: " + body);
        }
        return matcher.group(1);
    }
}
