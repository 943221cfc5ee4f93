package dev.pawkit.sync.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The live change stream on the local stack (README's run command, in a JVM of its own):
 * <ol>
 *   <li>the delay from a write's answer to its event on another connection of the same user
 *       (p50/p99/p99.9, HdrHistogram), with 1 and 16 writers, each writer's user followed by one stream;
 *   <li>how many idle streams one instance holds: idle streams (distinct users, plain sockets that
 *       stay open) are added in steps, and after each step the server's heap, resident memory and
 *       CPU while idle are read, and the delay is measured again with them all open.
 * </ol>
 * Every write's event must arrive: one that does not within 10 s is counted as missing (never
 * seen so far). Prints one table and, last, the summary line.
 *
 * <pre>scripts/benchmark-streams [--quick]</pre>
 */
public final class StreamBenchmark {

    private static final String URL = "http://127.0.0.1:8080";
    private static final Pattern TITLE = Pattern.compile("\"title\":\"(w[0-9a-f-]+)\"");

    record Plan(String name, Duration measure, List<Integer> idleSteps) {
        static Plan of(boolean quick) {
            return quick ? new Plan("quick", Duration.ofSeconds(5), List.of(1_000, 2_000))
                    : new Plan("full", Duration.ofSeconds(15), List.of(1_000, 5_000, 9_500));
        }
    }

    /**
     * @param micros from the write's answer to the event (0 when the event came first)
     * @param endToEndMicros from sending the write to the event: how long another device waits
     */
    record Delay(String label, Histogram micros, Histogram endToEndMicros, long events, long missing,
            long beforeAnswer) {
    }

    private StreamBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        Plan plan = Plan.of(Boolean.parseBoolean(options.getOrDefault("quick", "false")));
        Path stackJar = ServerProcess.stackJar(options);
        String secret = System.getenv().getOrDefault("PAWKIT_JWT_SECRET", CardApi.DEVELOPMENT_SECRET);
        Path work = Files.createTempDirectory("pawkit-streams");
        System.out.printf("change-stream benchmark (%s plan), %d cores, Java %s; logs under %s%n", plan.name(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), work);
        CardApi api = new CardApi(URL, secret);
        SideBySideBenchmark.refuseIfTaken(api);
        List<Delay> delays = new ArrayList<>();
        List<String> idleRows = new ArrayList<>();
        int held = 0;
        List<Socket> idle = new ArrayList<>();
        try (ServerProcess stack = ServerProcess.localStack(stackJar, work, secret, api)) {
            System.out.println("warm-up ...");
            delay(api, "warm-up", 8, plan.measure());
            delays.add(delay(api, "1 writer, 0 idle streams", 1, plan.measure()));
            delays.add(delay(api, "16 writers, 0 idle streams", 16, plan.measure()));
            idleRows.add(idleRow(stack, 0));
            for (int step : plan.idleSteps()) {
                System.out.printf("opening idle streams up to %,d ...%n", step);
                held = openIdle(api, idle, step);
                idleRows.add(idleRow(stack, held));
                delays.add(delay(api, "16 writers, " + held + " idle streams", 16, plan.measure()));
                if (held < step) {
                    break;
                }
            }
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
        print(delays, idleRows, held);
    }

    /**
     * {@code writers} users, each with one stream and one writer creating cards one after another;
     * the delay is from the create's answer to the event with that card on the stream.
     */
    private static Delay delay(CardApi api, String label, int writers, Duration measure) throws Exception {
        Histogram micros = new Histogram(60_000_000L, 3);
        Histogram endToEnd = new Histogram(60_000_000L, 3);
        AtomicLong events = new AtomicLong();
        AtomicLong missing = new AtomicLong();
        AtomicLong beforeAnswer = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<HttpResponse<Stream<String>>> streams = new ArrayList<>();
        long until = System.nanoTime() + measure.toNanos();
        for (int w = 0; w < writers; w++) {
            String user = "stream-bench-" + UUID.randomUUID();
            Map<String, Long> arrived = new ConcurrentHashMap<>();
            HttpResponse<Stream<String>> stream = api.lines("/api/cards/changes/stream", user);
            if (stream.statusCode() != 200) {
                throw new IllegalStateException("stream refused: " + stream.statusCode());
            }
            streams.add(stream);
            Thread reader = new Thread(() -> readTitles(stream.body().iterator(), arrived), "stream-reader-" + w);
            reader.setDaemon(true);
            reader.start();
            Thread writer = new Thread(() -> write(api, user, arrived, until, micros, endToEnd, events, missing, beforeAnswer),
                    "stream-writer-" + w);
            threads.add(writer);
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        streams.forEach(stream -> stream.body().close());
        Delay delay = new Delay(label, micros, endToEnd, events.get(), missing.get(), beforeAnswer.get());
        System.out.printf("  %-34s p50 %6.1f ms  p99 %6.1f ms  (%d events, %d missing)%n", label,
                micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(99) / 1000.0, delay.events(),
                delay.missing());
        return delay;
    }

    private static void readTitles(Iterator<String> lines, Map<String, Long> arrived) {
        try {
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.startsWith("data:")) {
                    long now = System.nanoTime();
                    Matcher titles = TITLE.matcher(line);
                    while (titles.find()) {
                        arrived.putIfAbsent(titles.group(1), now);
                    }
                }
            }
        } catch (RuntimeException e) {
            // The stream was closed at the end of the row.
        }
    }

    private static void write(CardApi api, String user, Map<String, Long> arrived, long until, Histogram micros,
            Histogram endToEnd, AtomicLong events, AtomicLong missing, AtomicLong beforeAnswer) {
        try {
            while (System.nanoTime() < until) {
                String title = "w" + UUID.randomUUID();
                long sent = System.nanoTime();
                HttpResponse<String> created = api.send("POST", "/api/cards", user,
                        "{\"type\":\"md-note\",\"title\":\"" + title + "\"}",
                        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
                long answered = System.nanoTime();
                if (created.statusCode() != 201) {
                    throw new IllegalStateException("create answered " + created.statusCode() + ": " + created.body());
                }
                long deadline = answered + TimeUnit.SECONDS.toNanos(10);
                Long at;
                while ((at = arrived.get(title)) == null && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                    Thread.sleep(0, 100_000);
                }
                if (at == null) {
                    missing.incrementAndGet();
                    continue;
                }
                events.incrementAndGet();
                if (at < answered) {
                    beforeAnswer.incrementAndGet();
                }
                synchronized (micros) {
                    micros.recordValue(Math.max(0, (at - answered) / 1000));
                    endToEnd.recordValue((at - sent) / 1000);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Opens plain-socket streams of new users until {@code target} are open (or the server
     * refuses one); returns how many are open. They are never read: an idle client.
     */
    private static int openIdle(CardApi api, List<Socket> idle, int target) throws Exception {
        while (idle.size() < target) {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", 8080), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/cards/changes/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + "Authorization: Bearer " + api.token("idle-" + idle.size() + "-" + UUID.randomUUID()) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = statusLine(socket.getInputStream());
            String[] parts = status.split(" ");
            if (parts.length < 2 || !parts[1].equals("200")) {
                System.out.printf("  stream %,d refused: %s%n", idle.size() + 1, status);
                socket.close();
                break;
            }
            idle.add(socket);
        }
        return idle.size();
    }

    private static String statusLine(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            line.append((char) b);
        }
        return line.toString().trim();
    }

    /** The server with {@code held} idle streams: heap after a full GC, RSS, and its CPU over 10 s of idling. */
    private static String idleRow(ServerProcess stack, int held) throws Exception {
        new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(stack.pid()), "GC.run").redirectErrorStream(true).start().waitFor(60, TimeUnit.SECONDS);
        long[] heap = stack.heapBytes();
        long[] resident = stack.residentBytes();
        long cpuBefore = cpuTicks(stack.pid());
        long started = System.nanoTime();
        new CountDownLatch(1).await(10, TimeUnit.SECONDS);
        double cpu = (cpuTicks(stack.pid()) - cpuBefore) / 100.0 / ((System.nanoTime() - started) / 1e9) * 100;
        String row = String.format("%,8d  %9d  %8d  %8.0f", held, heap[1] >> 20, resident[0] >> 20, cpu);
        System.out.printf("  idle streams %s%n", row);
        return row;
    }

    /** utime + stime of a process, in clock ticks (100 per second on Linux). */
    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static void print(List<Delay> delays, List<String> idleRows, int held) {
        System.out.println();
        System.out.println("delay from a write's answer to its event on another connection (ms)");
        System.out.println("(after_answer: 0 when the event came before the answer; from_request: from sending the write)");
        System.out.printf("%-30s %8s %8s %8s %8s %9s %9s %7s %7s %7s%n", "row", "p50", "p99", "p99.9", "max",
                "req_p50", "req_p99", "events", "before", "missing");
        for (Delay d : delays) {
            System.out.printf("%-30s %8.1f %8.1f %8.1f %8.1f %9.1f %9.1f %7d %7d %7d%n", d.label(),
                    d.micros().getValueAtPercentile(50) / 1000.0, d.micros().getValueAtPercentile(99) / 1000.0,
                    d.micros().getValueAtPercentile(99.9) / 1000.0, d.micros().getMaxValue() / 1000.0,
                    d.endToEndMicros().getValueAtPercentile(50) / 1000.0,
                    d.endToEndMicros().getValueAtPercentile(99) / 1000.0, d.events(), d.beforeAnswer(), d.missing());
        }
        System.out.println();
        System.out.println("idle streams held by one instance");
        System.out.printf("%8s  %9s  %8s  %8s%n", "streams", "heap_MB", "rss_MB", "cpu_%");
        idleRows.forEach(System.out::println);
        Delay one = delays.get(0);
        Delay loaded = delays.get(delays.size() - 1);
        long missing = delays.stream().mapToLong(Delay::missing).sum();
        System.out.printf("summary: stream_p50_ms=%.1f stream_p99_ms=%.1f request_to_event_p50_ms=%.1f"
                + " loaded_p99_ms=%.1f idle_streams_held=%d missing=%d%n",
                one.micros().getValueAtPercentile(50) / 1000.0, one.micros().getValueAtPercentile(99) / 1000.0,
                one.endToEndMicros().getValueAtPercentile(50) / 1000.0,
                loaded.micros().getValueAtPercentile(99) / 1000.0, held, missing);
    }
}
