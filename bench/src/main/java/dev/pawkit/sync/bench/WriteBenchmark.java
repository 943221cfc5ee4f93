package dev.pawkit.sync.bench;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop write load against a running stack, for a fixed time. Cards are notes, so that the
 * metadata enricher (which answers url cards with a version of its own) leaves them alone. In {@code mixed} mode each
 * client creates a card, then updates it with its version (If-Match) and reads it back; in
 * {@code create} mode it only creates; {@code ceiling} mode sends the cheapest answer of the same
 * server (a read without a token: 401 problem+json), the HTTP ceiling the writes compare with.
 * Prints throughput, latency percentiles per operation (HdrHistogram) and status counts, then checks
 * every card's final version equals the number of acknowledged writes to it (nothing lost, nothing
 * doubled).
 *
 * <pre>mvn -q -pl bench exec:java -Dexec.args="--clients 16 --seconds 30 --mode mixed --url http://127.0.0.1:8080"</pre>
 */
public final class WriteBenchmark {

    private static final Pattern VERSION = Pattern.compile("\"version\":(\\d+)");
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    private final String baseUrl;
    private final CardApi api;
    /** Per operation, microseconds; recorders take values from every client thread without a lock. */
    private final Map<String, Recorder> latenciesMicros = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();

    private final int updatesPerCard;
    private final boolean ceiling;

    private WriteBenchmark(String baseUrl, String secret, int updatesPerCard, boolean ceiling) {
        this.baseUrl = baseUrl;
        this.api = new CardApi(baseUrl, secret);
        this.updatesPerCard = updatesPerCard;
        this.ceiling = ceiling;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        int clients = Integer.parseInt(options.getOrDefault("clients", "16"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "30"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
        String url = options.getOrDefault("url", "http://127.0.0.1:8080");
        String mode = options.getOrDefault("mode", "mixed");
        int updatesPerCard = switch (mode) {
            case "mixed" -> 4;
            case "create", "ceiling" -> 0;
            default -> throw new IllegalArgumentException("--mode is mixed, create or ceiling");
        };
        String secret = System.getenv().getOrDefault("PAWKIT_JWT_SECRET", CardApi.DEVELOPMENT_SECRET);
        new WriteBenchmark(url, secret, updatesPerCard, mode.equals("ceiling")).run(clients, warmup, seconds);
    }

    private void run(int clients, int warmupSeconds, int seconds) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        System.out.printf("warm-up %d s, then %d clients for %d s against %s, %d updates per created card%n",
                warmupSeconds, clients, seconds, baseUrl, updatesPerCard);
        load(clients, warmupSeconds, "warmup-" + run, false);
        latenciesMicros.clear();
        statuses.clear();
        long started = System.nanoTime();
        List<ClientResult> results = load(clients, seconds, "bench-" + run, true);
        double elapsed = (System.nanoTime() - started) / 1e9;

        long writes = results.stream().mapToLong(r -> r.acknowledgedWrites).sum();
        Map<String, Histogram> histograms = new TreeMap<>();
        latenciesMicros.forEach((op, recorder) -> histograms.put(op, recorder.getIntervalHistogram()));
        long requests = histograms.values().stream().mapToLong(Histogram::getTotalCount).sum();
        System.out.printf("requests: %d in %.1f s = %.0f req/s; acknowledged writes: %.0f/s%n",
                requests, elapsed, requests / elapsed, writes / elapsed);
        System.out.println("operation     count     p50 ms    p95 ms    p99 ms  p99.9 ms    max ms");
        histograms.forEach((op, h) -> System.out.printf("%-10s %8d %10.1f %9.1f %9.1f %9.1f %9.1f%n", op,
                h.getTotalCount(), ms(h, 50), ms(h, 95), ms(h, 99), ms(h, 99.9), h.getMaxValue() / 1000.0));
        System.out.println("statuses: " + new TreeMap<>(statuses));

        long mismatches = 0;
        for (ClientResult result : results) {
            for (Map.Entry<String, Long> card : result.expectedVersions.entrySet()) {
                HttpResponse<String> read = send("GET", "/api/cards/" + card.getKey(), result.user, null, Map.of());
                long version = Long.parseLong(match(VERSION, read.body()));
                if (version != card.getValue()) {
                    mismatches++;
                }
            }
        }
        System.out.printf("verification: %d cards, %d with a version other than their acknowledged writes%n",
                results.stream().mapToLong(r -> r.expectedVersions.size()).sum(), mismatches);
    }

    private record ClientResult(String user, Map<String, Long> expectedVersions, long acknowledgedWrites) {
    }

    private List<ClientResult> load(int clients, int seconds, String userPrefix, boolean record) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        List<ClientResult> results = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < clients; c++) {
            String user = userPrefix + "-" + c;
            Thread thread = new Thread(() -> {
                Map<String, Long> versions = new java.util.HashMap<>();
                long writes = 0;
                try {
                    while (ceiling && System.nanoTime() < deadline) {
                        timed(record, "unauthorized", () -> send("GET", "/api/cards", null, null, Map.of()));
                    }
                    while (System.nanoTime() < deadline) {
                        HttpResponse<String> created = timed(record, "create", () -> send("POST", "/api/cards", user,
                                "{\"type\":\"md-note\",\"title\":\"bench\",\"content\":\"" + UUID.randomUUID()
                                        + "\",\"tags\":[\"a\",\"b\"]}",
                                Map.of("Idempotency-Key", UUID.randomUUID().toString())));
                        if (created.statusCode() != 201) {
                            continue;
                        }
                        writes++;
                        String id = match(ID, created.body());
                        long version = 1;
                        for (int u = 0; u < updatesPerCard && System.nanoTime() < deadline; u++) {
                            long expected = version;
                            HttpResponse<String> updated = timed(record, "update", () -> send("PATCH",
                                    "/api/cards/" + id, user, "{\"title\":\"bench " + expected + "\"}",
                                    Map.of("If-Match", "\"" + expected + "\"",
                                            "Idempotency-Key", UUID.randomUUID().toString())));
                            if (updated.statusCode() == 200) {
                                version++;
                                writes++;
                            }
                            timed(record, "read", () -> send("GET", "/api/cards/" + id, user, null, Map.of()));
                        }
                        versions.put(id, version);
                    }
                } catch (Exception e) {
                    System.err.println("client " + user + " stopped: " + e);
                }
                results.add(new ClientResult(user, versions, writes));
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return results;
    }

    private interface Call {
        HttpResponse<String> run() throws Exception;
    }

    private HttpResponse<String> timed(boolean record, String operation, Call call) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = call.run();
        if (record) {
            latenciesMicros.computeIfAbsent(operation, k -> new Recorder(3))
                    .recordValue((System.nanoTime() - start) / 1000);
            statuses.computeIfAbsent(response.statusCode(), k -> new AtomicLong()).incrementAndGet();
        }
        return response;
    }

    private HttpResponse<String> send(String method, String path, String user, String body, Map<String, String> headers)
            throws Exception {
        return api.send(method, path, user, body, headers);
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    private static String match(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body);
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected body: " + body);
        }
        return matcher.group(1);
    }
}
