package dev.pawkit.sync.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.testsupport.Tokens;
import dev.pawkit.sync.client.cli.PawkitCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The command-line client against the real server: it works offline and syncs when the server is back. */
class CliTest extends StackTest {

    private int exitCode;
    private String stderr;

    /** Runs the CLI; returns what it wrote to stdout (stderr is kept in {@link #stderr}). */
    private String cli(String token, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PawkitCli cli = new PawkitCli(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8), Map.of(
                "PAWKIT_SERVER", proxy.uri().toString(),
                "PAWKIT_CLIENT_STORE", dir.resolve("cli.db").toString(),
                "PAWKIT_TOKEN", token));
        exitCode = cli.run(args);
        stderr = errBytes.toString(StandardCharsets.UTF_8);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void cliWorksOfflineAndSyncsLater() {
        String token = Tokens.forUser(user);
        proxy.down();
        assertThat(cli(token, "add", "--type", "md-note", "--content", "# hello", "--title", "Hello", "--tags", "a,b"))
                .contains("added").contains("server unreachable").contains("1 pending");
        assertThat(exitCode).isZero();
        assertThat(cli(token, "list")).contains("Hello  #a #b  (pending)").contains("1 card(s)");
        assertThat(cli(token, "status")).contains("1 pending, 0 retrying, 0 failed").contains("create");
        assertThat(cli(token, "sync")).contains("server unreachable");
        assertThat(exitCode).isEqualTo(1);

        proxy.up();
        assertThat(cli(token, "sync")).contains("0 pending, 0 retrying, 0 failed");
        assertThat(exitCode).isZero();
        List<JsonNode> onServer = server().liveCards();
        assertThat(onServer).singleElement().satisfies(card -> assertThat(card.get("title").asString()).isEqualTo("Hello"));
        String id = onServer.get(0).get("id").asString();

        assertThat(cli(token, "edit", id.substring(0, 8), "--title", "Hello again", "--pinned")).contains("edited " + id);
        assertThat(cli(token, "list")).contains("Hello again").doesNotContain("(pending)");
        assertThat(cli(token, "delete", id.substring(0, 8))).contains("deleted " + id);
        assertThat(cli(token, "list")).contains("0 card(s)");

        assertThat(server().card(id)).isEmpty();
        assertThat(server().history(id)).extracting(ServerReads.Event::type).hasSize(3);
    }

    @Test
    void retryFailedSendsFailedOperationsAgain() {
        // An expired login: the server refuses (401, a permanent error), the change is kept, failed.
        assertThat(cli("not-a-valid-token", "add", "--type", "text-note", "--content", "kept")).contains("1 failed");
        assertThat(cli("not-a-valid-token", "status")).contains("failed: HTTP 401");

        String token = Tokens.forUser(user);
        assertThat(cli(token, "retry-failed")).contains("retrying 1 failed operation(s)")
                .contains("0 pending, 0 retrying, 0 failed");
        assertThat(exitCode).isZero();
        assertThat(server().liveCards()).singleElement()
                .satisfies(card -> assertThat(server().history(card.get("id").asString())).hasSize(1));
    }

    @Test
    void helpAndBadUsage() {
        assertThat(cli("t", "help")).contains("Usage: pawkit");
        cli("t", "frobnicate");
        assertThat(stderr).contains("Unknown command: 'frobnicate'");
        assertThat(exitCode).isEqualTo(2);
        cli("t", "edit", "no-such-card", "--title", "x");
        assertThat(stderr).contains("no card no-such-card");
        assertThat(exitCode).isEqualTo(2);
    }

    @Test
    void aMisspelledOptionIsRefusedAndNothingReachesTheServer() {
        String token = Tokens.forUser(user);
        cli(token, "add", "--type", "text-note", "--content", "hello", "--titel", "X");
        assertThat(exitCode).isEqualTo(2);
        assertThat(stderr).contains("Unknown option").contains("'--titel'");
        assertThat(cli(token, "status")).startsWith("0 pending, 0 retrying, 0 failed");
        assertThat(server().liveCards()).isEmpty();
    }
}
