package dev.pawkit.sync.client.cli;

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
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command-line client: every change goes to the local queue first, so it works offline; the
 * queue is sent whenever the server answers ({@code sync}, or right after a change when it can).
 * picocli parses the whole command line before any command runs, so a refused one (an unknown
 * option or command, a missing value) opens no store and queues nothing: exit 2, the reason on stderr.
 */
@Command(name = "pawkit", sortOptions = false, subcommands = CommandLine.HelpCommand.class,
        description = "Pawkit cards from the command line: changes are queued locally first, so they work offline.",
        footerHeading = "%n", footer = {
            "Environment (the options above win over it):",
            "  PAWKIT_SERVER (default http://127.0.0.1:8080), PAWKIT_TOKEN,",
            "  PAWKIT_CLIENT_STORE (default ~/.pawkit/client.db)",
            "Exit codes: 0 done, 1 something is left (server unreachable, failed",
            "  operations), 2 bad usage (nothing queued)."})
public final class PawkitCli implements Callable<Integer> {

    private static final Duration SYNC_WAIT = Duration.ofSeconds(60);

    // INHERIT: the settings are taken before or after the command (--store x.db list, list --store
    // x.db), as the CLI always allowed.
    @Option(names = "--server", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "the Pawkit server (else PAWKIT_SERVER, else http://127.0.0.1:8080)")
    private String server;

    @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
            description = "the bearer token (else PAWKIT_TOKEN)")
    private String token;

    @Option(names = "--store", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "the local queue and cards (else PAWKIT_CLIENT_STORE, else ~/.pawkit/client.db)")
    private Path store;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    private boolean help;

    @Spec
    private CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    /**
     * A CLI writing results to {@code out} and refusals to {@code err}, reading PAWKIT_* settings from
     * {@code env} (not System.getenv, so tests give their own).
     */
    public PawkitCli(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(new PawkitCli(System.out, System.err, System.getenv()).run(args));
    }

    /** Runs one command line; the exit code: 0 done, 1 failed or something left, 2 bad usage. */
    public int run(String[] args) {
        return commandLine().execute(args);
    }

    /** The parser with this CLI's commands, streams and error handling; tests parse with it alone. */
    CommandLine commandLine() {
        CommandLine cli = new CommandLine(this);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        // Plain text: the same help on a terminal, in a pipe and in tests.
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(Ansi.OFF));
        cli.registerConverter(CardType.class, CardType::fromWireName);
        cli.setParameterExceptionHandler(this::refuse);
        cli.setExecutionExceptionHandler((e, command, parsed) -> failed(e));
        // -h/--help on every command. Not an inherited option: that would clash with the help command's own -h.
        cli.getSubcommands().values().stream()
                .filter(command -> !(command.getCommand() instanceof CommandLine.HelpCommand))
                .forEach(command -> command.getCommandSpec().addOption(OptionSpec.builder("-h", "--help")
                        .usageHelp(true).type(boolean.class).description("show this help").build()));
        return cli;
    }

    /** No command: the help, as it always was. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** A command line picocli refused: the reason and where to read more, not the whole help. */
    private int refuse(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        // picocli checks required options before it reports unknown ones, so "add --titel X" would be
        // refused for its missing --type alone: the misspelling is the likelier mistake, name it first.
        ParameterException reason = !(e instanceof UnmatchedArgumentException) && !command.getUnmatchedArguments().isEmpty()
                ? new UnmatchedArgumentException(command, command.getUnmatchedArguments()) : e;
        PrintWriter stderr = command.getErr();
        stderr.println(isUnknownCommand(reason) ? "Unknown command: '" + firstUnmatched(reason) + "'" : reason.getMessage());
        UnmatchedArgumentException.printSuggestions(reason, stderr);
        stderr.println("See '" + command.getCommandSpec().qualifiedName() + " --help'.");
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** A word where the root command expects a command: picocli's "Unmatched argument" says less. */
    private static boolean isUnknownCommand(ParameterException e) {
        return e instanceof UnmatchedArgumentException unmatched
                && !unmatched.getCommandLine().getSubcommands().isEmpty()
                && !unmatched.getUnmatched().isEmpty()
                && !firstUnmatched(e).startsWith("-");
    }

    private static String firstUnmatched(ParameterException e) {
        return ((UnmatchedArgumentException) e).getUnmatched().get(0);
    }

    /** A command that stopped: what the user can fix (no such card, a field missing) is bad usage. */
    private int failed(Exception e) throws Exception {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return 1;
        }
        if (e instanceof IllegalArgumentException || e instanceof NoSuchElementException
                || e instanceof IllegalStateException) {
            err.println(e.getMessage());
            return 2;
        }
        throw e;
    }

    // ---- the commands: picocli calls these after the whole line parsed ----

    @Command(name = "list", description = "the cards here, with any change still to sync")
    int list() {
        try (PawkitSyncClient client = open()) {
            return list(client);
        }
    }

    @Command(name = "add", description = "queue a new card (sent at once when the server answers)")
    int add(@Option(names = "--type", required = true, paramLabel = "url|md-note|text-note",
                    description = "the card's type") CardType type,
            @Mixin CardFieldOptions fields) {
        CardFields card = fields.patch().applyTo(new CardFields(type, null, null, null, null, List.of(), List.of(),
                false, null, null));
        try (PawkitSyncClient client = open()) {
            out.println("added " + client.create(card).id());
            return trySend(client);
        }
    }

    @Command(name = "edit", description = "queue a change to a card")
    int edit(@Parameters(paramLabel = "ID", description = "the card id or a unique prefix of it") String idOrPrefix,
            @Mixin CardFieldOptions fields) {
        CardPatch patch = fields.patch();
        if (patch.isEmpty()) {
            throw new IllegalArgumentException("edit needs at least one field to change, e.g. --title");
        }
        try (PawkitSyncClient client = open()) {
            String id = resolveId(client, idOrPrefix);
            client.update(id, patch);
            out.println("edited " + id);
            return trySend(client);
        }
    }

    @Command(name = "delete", description = "queue a card's deletion")
    int delete(@Parameters(paramLabel = "ID", description = "the card id or a unique prefix of it") String idOrPrefix) {
        try (PawkitSyncClient client = open()) {
            String id = resolveId(client, idOrPrefix);
            client.delete(id);
            out.println("deleted " + id);
            return trySend(client);
        }
    }

    @Command(name = "sync", description = "send the queue, then pull the server's changes")
    int sync() throws InterruptedException {
        try (PawkitSyncClient client = open()) {
            return sync(client);
        }
    }

    @Command(name = "status", description = "pending, retrying and failed operations, with their last errors")
    int status() {
        try (PawkitSyncClient client = open()) {
            return status(client);
        }
    }

    @Command(name = "retry-failed", description = "send failed operations again, then sync")
    int retryFailed() throws InterruptedException {
        try (PawkitSyncClient client = open()) {
            out.println("retrying " + client.retryAllFailed() + " failed operation(s)");
            return sync(client);
        }
    }

    // ---- settings: an option, else the environment, else the default ----

    private String token() {
        return token != null ? token : env.get("PAWKIT_TOKEN");
    }

    private PawkitSyncClient open() {
        URI serverUri = URI.create(server != null ? server : env.getOrDefault("PAWKIT_SERVER", "http://127.0.0.1:8080"));
        Path storeFile = store != null ? store : Path.of(env.getOrDefault("PAWKIT_CLIENT_STORE",
                Path.of(System.getProperty("user.home"), ".pawkit", "client.db").toString()));
        String bearer = token();
        SyncConfig config = SyncConfig.builder(serverUri, () -> {
            if (bearer == null) {
                throw new IllegalStateException("no token: set PAWKIT_TOKEN or pass --token");
            }
            return bearer;
        }, storeFile).connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(15)).build();
        return PawkitSyncClient.open(config);
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

    private int sync(PawkitSyncClient client) throws InterruptedException {
        if (token() == null) {
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

    /** After a change: send now if the server answers, otherwise it waits in the queue. */
    private int trySend(PawkitSyncClient client) {
        if (token() == null) {
            out.println("queued; " + describe(client.status()) + " (no token yet: sync later)");
            return 0;
        }
        boolean offline = client.drainNow().offline();
        out.println((offline ? "queued, server unreachable (sync later); " : "") + describe(client.status()));
        return 0;
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
