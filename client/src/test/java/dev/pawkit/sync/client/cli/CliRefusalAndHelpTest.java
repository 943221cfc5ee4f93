package dev.pawkit.sync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI run on a local store only (no token, so nothing is sent and no server is needed): what a
 * refused command line leaves behind (nothing), and the help.
 */
class CliRefusalAndHelpTest {

    @TempDir
    Path dir;

    private int exitCode;
    private String stdout;
    private String stderr;

    private Path store() {
        return dir.resolve("cli.db");
    }

    private void cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PawkitCli cli = new PawkitCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                // Port 9 (discard): nothing is sent without a token anyway.
                Map.of("PAWKIT_SERVER", "http://127.0.0.1:9", "PAWKIT_CLIENT_STORE", store().toString()));
        exitCode = cli.run(args);
        stdout = out.toString(StandardCharsets.UTF_8);
        stderr = err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aMisspelledOptionIsRefusedBeforeAnythingIsWritten() {
        cli("add", "--type", "text-note", "--content", "hello", "--titel", "X");
        assertThat(exitCode).isEqualTo(2);
        assertThat(stderr).contains("Unknown option").contains("'--titel'").contains("--title").contains("pawkit add --help");
        assertThat(stdout).isEmpty();
        assertThat(store()).doesNotExist();
    }

    @Test
    void aMisspelledOptionQueuesNothingOnAStoreInUse() {
        cli("add", "--type", "text-note", "--content", "kept");
        assertThat(exitCode).isZero();
        assertThat(stdout).contains("added").contains("1 pending");

        cli("add", "--titel", "X");
        assertThat(exitCode).isEqualTo(2);
        assertThat(stderr).contains("Unknown option").contains("'--titel'");
        cli("add", "--type", "text-note", "--content", "x", "--titel", "X");
        assertThat(exitCode).isEqualTo(2);

        cli("status");
        assertThat(stdout).startsWith("1 pending, 0 retrying, 0 failed");
        cli("list");
        assertThat(stdout).contains("kept").contains("1 card(s)");
    }

    @Test
    void anUnknownCommandIsRefused() {
        cli("frobnicate");
        assertThat(exitCode).isEqualTo(2);
        assertThat(stderr).contains("Unknown command: 'frobnicate'").contains("pawkit --help");
        assertThat(stdout).isEmpty();
        assertThat(store()).doesNotExist();
    }

    @Test
    void missingPartsAreRefusedBeforeAnythingIsWritten() {
        cli("add", "--title", "no type");
        assertThat(exitCode).isEqualTo(2);
        assertThat(stderr).contains("Missing required option: '--type");
        cli("edit", "3f2a");
        assertThat(exitCode).isEqualTo(2);
        assertThat(stderr).contains("edit needs at least one field");
        cli("delete");
        assertThat(exitCode).isEqualTo(2);
        assertThat(stderr).contains("Missing required parameter: 'ID'");
        assertThat(store()).doesNotExist();
    }

    @Test
    void helpListsEveryCommandAndTheSettings() {
        for (String[] args : new String[][] {{"--help"}, {"-h"}, {"help"}, {}}) {
            cli(args);
            assertThat(exitCode).isZero();
            assertThat(stdout).startsWith("Usage: pawkit")
                    .contains("list", "add", "edit", "delete", "sync", "status", "retry-failed")
                    .contains("--server", "--token", "--store", "PAWKIT_TOKEN", "Exit codes");
            assertThat(stderr).isEmpty();
        }
        assertThat(store()).doesNotExist();
    }

    @Test
    void eachCommandHasItsHelp() {
        for (String[] args : new String[][] {{"add", "--help"}, {"help", "add"}, {"--store", "x.db", "add", "-h"}}) {
            cli(args);
            assertThat(exitCode).isZero();
            assertThat(stdout).startsWith("Usage: pawkit add")
                    .contains("--type=url|md-note|text-note", "--title", "--tags", "--pinned", "--store");
        }
        cli("edit", "--help");
        assertThat(stdout).startsWith("Usage: pawkit edit").contains("ID");
        assertThat(store()).doesNotExist();
    }

    @Test
    void settingsAfterTheCommandAreUsed() {
        Path elsewhere = dir.resolve("elsewhere.db");
        cli("add", "--type", "text-note", "--content", "here", "--store", elsewhere.toString());
        assertThat(exitCode).isZero();
        assertThat(elsewhere).exists();
        assertThat(store()).doesNotExist();
    }
}
