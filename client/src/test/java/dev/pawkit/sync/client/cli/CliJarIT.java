package dev.pawkit.sync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as README runs it, {@code java -jar client/target/pawkit-cli.jar}: the shaded jar that
 * {@code package} wrote (so an integration test, run by failsafe after package), with nothing on
 * the class path but the jar. Its manifest's main class, its merged dependencies and picocli's
 * parser are what is tested here; CliProcessTest runs the same class from the test class path.
 */
class CliJarIT {

    private static final Path JAR = Path.of("target", "pawkit-cli.jar");

    @TempDir
    Path dir;

    @Test
    void helpExitsZeroAndListsTheCommands() throws Exception {
        Result help = run("--help");

        assertThat(help.status()).as(help.stderr()).isZero();
        assertThat(help.stdout()).contains("Usage:").contains("add").contains("sync").contains("PAWKIT_SERVER");
        assertThat(help.stderr()).isEmpty();
    }

    @Test
    void anUnknownOptionExitsTwoAndQueuesNothing() throws Exception {
        Result refused = run("add", "--titel", "X");

        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.stderr()).contains("Unknown option").contains("'--titel'");
        assertThat(refused.stdout()).isEmpty();
        assertThat(dir.resolve("cli.db")).doesNotExist();
    }

    private record Result(int status, String stdout, String stderr) {
    }

    private Result run(String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the CLI jar (mvn package writes it)").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
        builder.environment().remove("PAWKIT_TOKEN");
        builder.environment().put("PAWKIT_CLIENT_STORE", dir.resolve("cli.db").toString());
        builder.environment().put("PAWKIT_SERVER", "http://127.0.0.1:9");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the CLI did not exit within 60 s");
        }
        return new Result(process.exitValue(), Files.readString(dir.resolve("stdout"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8));
    }
}
