package dev.pawkit.sync.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test in a JVM of its own, as an operator runs it: started with its command line,
 * its output in a log file (kept when it fails to start), ready when it answers, stopped with
 * SIGTERM. Reports its memory: resident set size from /proc and the heap in use from jcmd.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

    private final String name;
    private final Process process;
    private final Path log;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public interface Probe {
        boolean ready() throws Exception;
    }

    public static ServerProcess start(String name, List<String> command, Map<String, String> environment, Path log,
            Duration timeout, Probe ready) throws Exception {
        ServerProcess server = launch(name, command, environment, log);
        server.awaitReady(timeout, ready);
        return server;
    }

    /** Starts the process and returns at once: its owner registers it before waiting for it (see awaitReady). */
    public static ServerProcess launch(String name, List<String> command, Map<String, String> environment, Path log)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new ServerProcess(name, builder.start(), log);
    }

    /** Waits until {@code ready}; killed (kill -9) if it is not ready within {@code timeout} or the wait fails. */
    public void awaitReady(Duration timeout, Probe ready) throws Exception {
        boolean ok = false;
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log: " + log);
                }
                try {
                    if (ready.ready()) {
                        ok = true;
                        return;
                    }
                } catch (IOException e) {
                    // Not listening yet.
                }
                Thread.sleep(250);
            }
            throw new IllegalStateException(name + " was not ready within " + timeout + "; log: " + log);
        } finally {
            if (!ok) {
                kill();
            }
        }
    }

    /** A probe that is ready once the process's output has a line containing {@code text}. */
    public Probe printed(String text) {
        // Bytes as Latin-1: any output decodes, and the ASCII text is found all the same.
        return () -> Files.exists(log)
                && new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.ISO_8859_1).contains(text);
    }

    /**
     * The stack jar named by {@code --stack-jar} (README's build puts it at the default path),
     * refused when missing: a benchmark must measure what was just built.
     */
    public static Path stackJar(Map<String, String> options) {
        Path jar = Path.of(options.getOrDefault("stack-jar", "stack/target/pawkit-local-stack.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (mvn -q -DskipTests package)");
        }
        return jar;
    }

    /**
     * README's local stack in a JVM of its own on a fresh data directory under {@code work}, note
     * cards only (the enricher would fetch from the network), no write rate limit, ready once {@code api}
     * reads cards.
     */
    public static ServerProcess localStack(Path stackJar, Path work, String secret, CardApi api) throws Exception {
        return localStack(stackJar, work, secret, api, Map.of());
    }

    /** The same, with more environment (the ports, when the defaults may be taken). */
    public static ServerProcess localStack(Path stackJar, Path work, String secret, CardApi api,
            Map<String, String> environment) throws Exception {
        return localStack(stackJar, work, secret, environment, List.of(), work.resolve("stack.log"),
                answers(api, "/api/cards", "readiness", 200), Duration.ofMinutes(3));
    }

    /**
     * The same on the data directory under {@code work} as it is (a restart finds what the last run
     * left), with more {@code arguments}, its output in {@code log}, ready when {@code ready} says so
     * within {@code timeout}.
     */
    public static ServerProcess localStack(Path stackJar, Path work, String secret, Map<String, String> environment,
            List<String> arguments, Path log, Probe ready, Duration timeout) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("PAWKIT_DATA_DIR", work.resolve("pawkit-data").toString());
        env.put("PAWKIT_ENRICHER_ENABLED", "false");
        env.put("PAWKIT_JWT_SECRET", secret);
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", stackJar.toString(),
                // No per-user write rate limit: the one-user rows measure what one partition takes.
                "--pawkit.rate-limit.enabled=false"));
        command.addAll(arguments);
        return start("the local stack", command, env, log, timeout, ready);
    }

    /** A probe that is ready when the request's answer has the status. */
    public static Probe answers(CardApi api, String path, String user, int status) {
        return () -> {
            HttpResponse<String> response = api.send("GET", path, user, null, Map.of());
            return response.statusCode() == status;
        };
    }

    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    /** Where its output goes. */
    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9 (SIGKILL on Linux): no shutdown hook, no flush, no goodbye; returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") still runs 30 s after SIGKILL");
        }
    }

    /** SIGTERM, without waiting: the process stops cleanly in its own time. */
    public void terminate() {
        process.destroy();
    }

    /** Resident set size now and at its peak, bytes. */
    long[] residentBytes() throws IOException {
        long rss = 0;
        long peak = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = kilobytes(line) * 1024;
            } else if (line.startsWith("VmHWM:")) {
                peak = kilobytes(line) * 1024;
            }
        }
        return new long[] {rss, peak};
    }

    /** Heap committed and in use, bytes, as the JVM's own diagnostic command reports them. */
    long[] heapBytes() throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()), "GC.heap_info").redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor(30, TimeUnit.SECONDS);
        Matcher matcher = HEAP_USED.matcher(output);
        if (!matcher.find()) {
            return new long[] {-1, -1};
        }
        return new long[] {Long.parseLong(matcher.group(1)) * 1024, Long.parseLong(matcher.group(2)) * 1024};
    }

    private static long kilobytes(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            System.err.println(name + " did not stop within 60 s of SIGTERM; killing it (log: " + log + ")");
            process.destroyForcibly().waitFor();
        }
    }
}
