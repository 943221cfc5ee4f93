package dev.pawkit.sync.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The client's durable state in one SQLite file: the operation queue, the cache of server cards,
 * the change-feed cursor and the conflict journal. Every change is one transaction, committed with
 * a full sync before the method returns, so whatever a caller was told is queued survives a crash
 * or a kill -9. One client instance per file at a time.
 */
final class LocalStore implements AutoCloseable {

    /** Work on the tables inside one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Tables tables) throws SQLException;
    }

    /** The tables, bound to the store's connection. */
    record Tables(OperationTable operations, CardTable cards, SettingTable settings, ConflictTable conflicts) {
    }

    private final Connection connection;
    private final Tables tables;

    private LocalStore(Connection connection) {
        this.connection = connection;
        this.tables = new Tables(new OperationTable(connection), new CardTable(connection),
                new SettingTable(connection), new ConflictTable(connection));
    }

    static LocalStore open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement statement = connection.createStatement()) {
                // WAL keeps readers and the writer apart; FULL syncs every commit, so a queued change
                // survives a power loss too, not only a crash.
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=FULL");
                statement.execute("PRAGMA busy_timeout=5000");
                OperationTable.create(statement);
                CardTable.create(statement);
                SettingTable.create(statement);
                ConflictTable.create(statement);
            }
            connection.setAutoCommit(false);
            return new LocalStore(connection);
        } catch (Exception e) {
            throw new StoreException("cannot open the client store " + file, e);
        }
    }

    /** Runs {@code work} in one transaction: all of it is stored, or none. */
    synchronized <T> T write(Work<T> work) {
        try {
            T result = work.run(tables);
            connection.commit();
            return result;
        } catch (SQLException e) {
            rollback();
            throw new StoreException("client store transaction failed", e);
        } catch (RuntimeException e) {
            rollback();
            throw e;
        }
    }

    /** Reads a consistent snapshot (a transaction too, so a read never sees half of a write). */
    synchronized <T> T read(Work<T> work) {
        return write(work);
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The original failure is the one worth reporting.
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the client store", e);
        }
    }
}
