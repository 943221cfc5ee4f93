package dev.pawkit.sync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PawkitCli.main in a JVM of its own: the exit status a shell sees, and what goes to which stream. */
class CliProcessTest {

    @TempDir
    Path dir;

    @Test
    void aMisspelledOptionExitsWithStatusTwoAndTheReasonOnStderr() throws Exception {
        Path store = dir.resolve("cli.db");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", classpath, PawkitCli.class.getName(),
                "--store", store.toString(), "add", "--type", "text-note", "--titel", "X");
        builder.environment().remove("PAWKIT_TOKEN");
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("Unknown option").contains("'--titel'");
        assertThat(process.getInputStream().readAllBytes()).isEmpty();
        assertThat(store).doesNotExist();
    }
}
