package dev.pawkit.sync.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.testsupport.Tokens;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run command as a person sees it: a few lines, the last one saying where it is ready; the
 * full logs in a file under the data directory; settings given as {@code --pawkit.…} arguments
 * meaning what the environment variables mean; and a second stack started on the same data while
 * the first still runs or is still stopping (Ctrl-C, then the command again at once) waits for it,
 * says so, then starts with every acknowledged card, never beside it.
 */
class LocalStackConsoleTest {

    private static final String USER = "console-user";

    @TempDir
    Path work;

    private final int httpPort = LocalStackClient.freePort();
    private final int kafkaPort = LocalStackClient.freePort();
    // Generous: a stack that just started on a machine busy with other builds answers slowly.
    private final LocalStackClient api = new LocalStackClient(httpPort, USER, Duration.ofSeconds(60));
    private Process first;
    private Process second;

    @AfterEach
    void stop() throws InterruptedException {
        for (Process process : new Process[] {first, second}) {
            if (process != null && process.isAlive()) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aFewLinesThenReadyAndAnImpatientRestartWaitsForTheStop() throws Exception {
        Path dataDir = work.resolve("stack-data");
        Path firstOut = work.resolve("first.txt");
        first = start(dataDir, firstOut);
        Pattern ready = Pattern.compile("Pawkit ready at http://127\\.0\\.0\\.1:" + httpPort
                + " in \\d+\\.\\d s \\(data in " + Pattern.quote(dataDir.toString()) + "\\)");
        List<String> lines = waitForLine(firstOut, first, line -> line.startsWith("Pawkit ready"));
        assertThat(lines.get(lines.size() - 1)).matches(ready);
        // Ready means what README says: reads answer at once.
        assertThat(api.get("/api/cards").statusCode()).isEqualTo(200);
        assertThat(lines).hasSizeLessThanOrEqualTo(4).noneMatch(line -> line.contains("INFO"));
        // The argument moved everything: broker log, state stores and logs are under the given directory.
        assertThat(dataDir.resolve("kafka").resolve("meta.properties")).exists();
        assertThat(dataDir.resolve("streams")).isDirectory();
        String log = Files.readString(dataDir.resolve("logs").resolve("pawkit.log"));
        assertThat(log).contains("local Kafka broker up").contains("Pawkit local stack ready");
        assertThat(log.lines().count()).isGreaterThan(100);

        String key = UUID.randomUUID().toString();
        HttpResponse<String> created = create(key);
        assertThat(created.statusCode()).isEqualTo(201);

        // The run command again while the first still runs (or is still stopping, after a Ctrl-C):
        // it waits for the first, and says so, without touching the data. Started before the stop,
        // so that the test does not depend on which process is quicker.
        Path secondOut = work.resolve("second.txt");
        second = start(dataDir, secondOut);
        waitForLine(secondOut, second, line -> line.contains("waiting for it to stop"));
        Thread.sleep(2_000);
        assertThat(Files.readAllLines(secondOut)).noneMatch(line -> line.startsWith("Pawkit ready"));
        assertThat(api.get("/api/cards").statusCode()).as("the first still serves").isEqualTo(200);
        first.destroy();
        List<String> secondLines = waitForLine(secondOut, second, line -> line.startsWith("Pawkit ready"));
        assertThat(first.isAlive()).as("the first stack stopped before the second started").isFalse();
        assertThat(first.exitValue()).isEqualTo(143);
        assertThat(String.join("\n", secondLines)).contains("waiting for it to stop").contains("it stopped; starting");
        assertThat(secondLines.get(secondLines.size() - 1)).matches(ready);
        assertThat(api.get("/api/cards").statusCode()).isEqualTo(200);

        // Everything acknowledged is there, once: the retry is a replay of the same card.
        HttpResponse<String> retried = create(key);
        assertThat(retried.statusCode()).isEqualTo(201);
        assertThat(retried.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retried.headers().firstValue("Location")).isEqualTo(created.headers().firstValue("Location"));
        assertThat(api.get("/api/cards").body()).contains(key);
    }

    private Process start(Path dataDir, Path out) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", classpath, LocalStack.class.getName(), "--pawkit.data-dir=" + dataDir)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().remove("PAWKIT_KAFKA_BOOTSTRAP");
        // The environment names another directory: the argument must win.
        builder.environment().putAll(Map.of(
                "PAWKIT_DATA_DIR", work.resolve("not-this-one").toString(),
                "PAWKIT_HTTP_PORT", String.valueOf(httpPort),
                "PAWKIT_KAFKA_PORT", String.valueOf(kafkaPort),
                "PAWKIT_JWT_SECRET", Tokens.SECRET));
        return builder.start();
    }

    /** The process's output once a line matches, or fails if the process ends or two minutes pass. */
    private static List<String> waitForLine(Path out, Process process, Predicate<String> wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.exists(out) ? Files.readAllLines(out) : List.of();
            if (lines.stream().anyMatch(wanted)) {
                return lines;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the stack exited (" + process.exitValue() + "):\n" + String.join("\n", lines));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no such line within 2 minutes:\n" + Files.readString(out));
    }

    /**
     * A create's decision, as a client gets it from a just-started stack on a busy machine: a 503
     * is retried with the same key, a 202 followed to its decision.
     */
    private HttpResponse<String> create(String key) throws Exception {
        HttpResponse<String> response = api.createNote(key);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while ((response.statusCode() == 202 || response.statusCode() == 503) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            response = response.statusCode() == 503 ? api.createNote(key)
                    : api.get(response.headers().firstValue("Location").orElseThrow());
        }
        return response;
    }
}
