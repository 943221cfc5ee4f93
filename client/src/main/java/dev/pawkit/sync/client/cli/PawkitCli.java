package dev.pawkit.sync.client.cli;

import dev.pawkit.sync.client.CardField;
import dev.pawkit.sync.client.CardFields;
import dev.pawkit.sync.client.CardPatch;
import dev.pawkit.sync.client.CardType;
import dev.pawkit.sync.client.LocalCard;
import dev.pawkit.sync.client.Operation;
import dev.pawkit.sync.client.PawkitSyncClient;
import dev.pawkit.sync.client.SyncConfig;
import dev.pawkit.sync.client.SyncStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The command-line client: every change goes to the local queue first, so it works offline; the
 * queue is sent whenever the server answers ({@code sync}, or right after a change when it can).
 */
public final class PawkitCli {

    static final String USAGE = """
            usage: pawkit [--server URL] [--token TOKEN] [--store FILE] COMMAND [ARGS]
              list                       the cards here, with any change still to sync
              add --type url|md-note|text-note [--url U] [--title T] [--notes N] [--content C]
                  [--tags a,b] [--collections a,b] [--pinned]
              edit ID [--url U] [--title T] [--notes N] [--content C] [--tags a,b] [--collections a,b]
                  [--pinned true|false]      (ID: the card id or a unique prefix of it)
              delete ID
              sync                       send the queue, then pull the server's changes
              status                     pending, retrying and failed operations
              retry-failed               send failed operations again, then sync
            environment: PAWKIT_SERVER (default http://127.0.0.1:8080), PAWKIT_TOKEN,
                         PAWKIT_CLIENT_STORE (default ~/.pawkit/client.db)""";

    private static final Duration SYNC_WAIT = Duration.ofSeconds(60);

    private final PrintStream out;
    private final Map<String, String> env;

    /** A CLI writing to {@code out}, reading PAWKIT_* settings from {@code env}. */
    public PawkitCli(PrintStream out, Map<String, String> env) {
        this.out = out;
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(new PawkitCli(System.out, System.getenv()).run(args));
    }

    /** Runs one command; the exit code: 0 done, 1 failed, 2 bad usage. */
    public int run(String[] args) {
        CliArguments cli;
        try {
            cli = CliArguments.parse(args);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            out.println(USAGE);
            return 2;
        }
        if (cli.command().equals("help")) {
            out.println(USAGE);
            return 0;
        }
        String token = cli.option("token").orElse(env.get("PAWKIT_TOKEN"));
        try (PawkitSyncClient client = PawkitSyncClient.open(config(cli, token))) {
            return switch (cli.command()) {
                case "list" -> list(client);
                case "add" -> add(client, cli, token);
                case "edit" -> edit(client, cli, token);
                case "delete" -> delete(client, cli, token);
                case "sync" -> sync(client, token);
                case "status" -> status(client);
                case "retry-failed" -> retryFailed(client, token);
                default -> {
                    out.println("unknown command '" + cli.command() + "'");
                    out.println(USAGE);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException | NoSuchElementException | IllegalStateException e) {
            out.println(e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private SyncConfig config(CliArguments cli, String token) {
        URI server = URI.create(cli.option("server").orElse(env.getOrDefault("PAWKIT_SERVER", "http://127.0.0.1:8080")));
        Path store = Path.of(cli.option("store").orElse(env.getOrDefault("PAWKIT_CLIENT_STORE",
                Path.of(System.getProperty("user.home"), ".pawkit", "client.db").toString())));
        return SyncConfig.builder(server, () -> {
            if (token == null) {
                throw new IllegalStateException("no token: set PAWKIT_TOKEN or pass --token");
            }
            return token;
        }, store).connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(15)).build();
    }

    private int list(PawkitSyncClient client) {
        List<LocalCard> cards = client.cards();
        for (LocalCard card : cards) {
            CardFields f = card.fields();
            String label = f.title() != null ? f.title() : f.url() != null ? f.url()
                    : f.content() != null ? abbreviate(f.content()) : "";
            String tags = f.tags().isEmpty() ? "" : "  #" + String.join(" #", f.tags());
            String state = card.syncState() == LocalCard.SyncState.SYNCED ? "" : "  (" + card.syncState().name().toLowerCase() + ")";
            out.println(card.id() + "  " + f.type().wireName() + "  " + label + tags + state);
        }
        out.println(cards.size() + " card(s)");
        return 0;
    }

    private int add(PawkitSyncClient client, CliArguments cli, String token) throws InterruptedException {
        CardType type = CardType.fromWireName(cli.option("type").orElseThrow(
                () -> new IllegalArgumentException("add needs --type url|md-note|text-note")));
        CardFields fields = patchOf(cli).applyTo(new CardFields(type, null, null, null, null, List.of(), List.of(),
                false, null, null));
        LocalCard card = client.create(fields);
        out.println("added " + card.id());
        return trySend(client, token);
    }

    private int edit(PawkitSyncClient client, CliArguments cli, String token) throws InterruptedException {
        String id = resolveId(client, cli.argument(0, "a card id"));
        CardPatch patch = patchOf(cli);
        if (patch.isEmpty()) {
            throw new IllegalArgumentException("edit needs at least one field to change, e.g. --title");
        }
        client.update(id, patch);
        out.println("edited " + id);
        return trySend(client, token);
    }

    private int delete(PawkitSyncClient client, CliArguments cli, String token) throws InterruptedException {
        String id = resolveId(client, cli.argument(0, "a card id"));
        client.delete(id);
        out.println("deleted " + id);
        return trySend(client, token);
    }

    private int sync(PawkitSyncClient client, String token) throws InterruptedException {
        if (token == null) {
            out.println("no token: set PAWKIT_TOKEN or pass --token");
            return 1;
        }
        SyncStatus status = client.syncUntilIdle(SYNC_WAIT);
        if (status.offline()) {
            out.println("server unreachable; " + describe(status) + "; run sync again later");
            return 1;
        }
        try {
            int changed = client.pull();
            out.println("pulled " + changed + " change(s)");
        } catch (IOException e) {
            out.println("pull failed: " + e.getMessage());
            return 1;
        }
        out.println(describe(client.status()));
        return client.status().failed() == 0 ? 0 : 1;
    }

    private int status(PawkitSyncClient client) {
        out.println(describe(client.status()));
        for (Operation op : client.operations()) {
            out.println("  #" + op.seq() + " " + op.kind().name().toLowerCase() + " " + op.cardId() + " "
                    + op.status().name().toLowerCase() + (op.lastError() == null ? "" : ": " + op.lastError()));
        }
        return 0;
    }

    private int retryFailed(PawkitSyncClient client, String token) throws InterruptedException {
        out.println("retrying " + client.retryAllFailed() + " failed operation(s)");
        return sync(client, token);
    }

    /** After a change: send now if the server answers, otherwise it waits in the queue. */
    private int trySend(PawkitSyncClient client, String token) {
        if (token == null) {
            out.println("queued; " + describe(client.status()) + " (no token yet: sync later)");
            return 0;
        }
        boolean offline = client.drainNow().offline();
        out.println((offline ? "queued, server unreachable (sync later); " : "") + describe(client.status()));
        return 0;
    }

    private static CardPatch patchOf(CliArguments cli) {
        CardPatch patch = CardPatch.empty();
        for (CardField field : List.of(CardField.URL, CardField.TITLE, CardField.NOTES, CardField.CONTENT)) {
            String name = field.wireName();
            if (cli.option(name).isPresent()) {
                patch = patch.with(field, cli.option(name).get());
            }
        }
        if (cli.list("tags").isPresent()) {
            patch = patch.with(CardField.TAGS, cli.list("tags").get());
        }
        if (cli.list("collections").isPresent()) {
            patch = patch.with(CardField.COLLECTIONS, cli.list("collections").get());
        }
        if (cli.option("pinned").isPresent()) {
            patch = patch.pinned(Boolean.parseBoolean(cli.option("pinned").get()));
        }
        return patch;
    }

    private static String resolveId(PawkitSyncClient client, String prefix) {
        List<String> matches = client.cards().stream().map(LocalCard::id).filter(id -> id.startsWith(prefix)).toList();
        if (matches.size() != 1) {
            throw new NoSuchElementException(matches.isEmpty() ? "no card " + prefix + " here (sync first?)"
                    : "'" + prefix + "' matches " + matches.size() + " cards; give more of the id");
        }
        return matches.get(0);
    }

    private static String describe(SyncStatus status) {
        return status.pending() + " pending, " + status.retrying() + " retrying, " + status.failed() + " failed";
    }

    private static String abbreviate(String text) {
        String line = text.strip().replace('\n', ' ');
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }
}
