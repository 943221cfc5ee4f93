package dev.pawkit.sync.bench.postgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server for Option B, from Debian's packages ({@code apt-get install
 * postgresql}): a new data directory, loopback only, a free port, one database {@value #DATABASE}
 * for user {@value #USER} (trust authentication: only this machine can reach it). Closing it stops
 * the server and deletes the directory.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String DATABASE = "pawkit";
    public static final String USER = "pawkit";

    private static final Path INSTALLS = Path.of("/usr/lib/postgresql");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Room for Option B's pool (10 by default) and anything the benchmark opens besides. */
    private static final int MAX_CONNECTIONS = 100;

    private final Path bin;
    private final Path directory;
    private final int port;
    /** PostgreSQL refuses to run as root: then its tools run as the package's user {@code postgres}. */
    private final boolean asPostgresUser;
    private final Thread stopOnExit = new Thread(this::stop, "postgres-stop");
    private boolean stopped;

    private PostgresServer(Path bin, Path directory, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.directory = directory;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** A server on a free port. */
    public static PostgresServer start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return start(port);
    }

    public static PostgresServer start(int port) throws IOException, InterruptedException {
        Path bin = newestBin();
        boolean root = output(List.of("id", "-u")).trim().equals("0");
        Path directory = Files.createTempDirectory("pawkit-postgres");
        PostgresServer server = new PostgresServer(bin, directory, port, root);
        // From here on, a JVM that exits without close() still stops the server.
        Runtime.getRuntime().addShutdownHook(server.stopOnExit);
        try {
            server.initialize();
            server.run("pg_ctl", "start", "--wait", "--timeout=" + START_TIMEOUT.toSeconds(),
                    "-D", server.data().toString(), "-l", server.log().toString());
            server.createDatabase();
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            // The log goes with the directory: keep what it says in the exception.
            String log = Files.exists(server.log()) ? Files.readString(server.log()) : "(no server log)";
            server.close();
            throw new IllegalStateException("PostgreSQL did not start: " + e.getMessage() + "\nserver log:\n" + log, e);
        }
    }

    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    public String user() {
        return USER;
    }

    /** Empty: trust authentication on loopback. */
    public String password() {
        return "";
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook is running or has run.
        }
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            if (Files.exists(data().resolve("postmaster.pid"))) {
                run("pg_ctl", "stop", "--wait", "-m", "fast", "-D", data().toString());
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("could not stop PostgreSQL in " + directory + ": " + e.getMessage());
        } finally {
            deleteDirectory();
        }
    }

    private Path log() {
        return directory.resolve("postgres.log");
    }

    private Path data() {
        return directory.resolve("data");
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** initdb, then this server's settings appended to postgresql.conf (the last value of a setting wins). */
    private void initialize() throws IOException, InterruptedException {
        if (asPostgresUser) {
            output(List.of("chown", "-R", "postgres:", directory.toString()));
        }
        // --no-sync: only initdb's own files are not flushed; the server below runs with fsync on.
        run("initdb", "-D", data().toString(), "--auth=trust", "-U", USER, "--encoding=UTF8", "--locale=C",
                "--no-sync");
        String settings = String.join("\n",
                "",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                // No Unix socket: nothing to clash with a system cluster's /var/run/postgresql.
                "unix_socket_directories = ''",
                "max_connections = " + MAX_CONNECTIONS,
                "shared_buffers = 256MB",
                // The defaults, stated: a commit is acknowledged once its WAL is flushed to disk, the
                // durable setting a team would run. (Stricter than one Kafka broker, which acknowledges
                // from the page cache: a process crash loses nothing there, a power cut may.)
                "fsync = on",
                "synchronous_commit = on",
                "");
        Files.writeString(data().resolve("postgresql.conf"), settings, StandardOpenOption.APPEND);
    }

    /** Connects until the server answers (bounded), then creates the database Option B uses. */
    private void createDatabase() throws InterruptedException {
        Properties credentials = new Properties();
        credentials.setProperty("user", USER);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), credentials);
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + DATABASE);
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL on port " + port + " did not accept connections in "
                            + START_TIMEOUT.toSeconds() + " s", e);
                }
                Thread.sleep(100);
            }
        }
    }

    /** A PostgreSQL tool, as the postgres user when this JVM is root; its output is in the exception if it fails. */
    private void run(String tool, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (asPostgresUser) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(arguments));
        output(command);
    }

    private static String output(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        // Read to the end: the server started by pg_ctl writes to its -l log, so it does not hold this pipe.
        String output = new String(process.getInputStream().readAllBytes());
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + exit + "): " + output);
        }
        return output;
    }

    /** The bin directory of the newest PostgreSQL installed (Debian keeps each under /usr/lib/postgresql/N). */
    private static Path newestBin() throws IOException {
        if (Files.isDirectory(INSTALLS)) {
            try (Stream<Path> versions = Files.list(INSTALLS)) {
                Path newest = versions
                        .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                        .filter(v -> Files.isExecutable(v.resolve("bin/postgres")))
                        .max(Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())))
                        .orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            }
        }
        throw new IllegalStateException("no PostgreSQL server binaries under " + INSTALLS
                + "/*/bin: apt-get install postgresql");
    }

    private void deleteDirectory() {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + directory + ": " + e.getMessage());
        }
    }
}
