package dev.pawkit.sync.client;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/** Small named values: the change-feed cursor, this installation's client id. */
final class SettingTable {

    static final String CHANGES_CURSOR = "changes.since";
    static final String CLIENT_ID = "client.id";

    private final Connection connection;

    SettingTable(Connection connection) {
        this.connection = connection;
    }

    static void create(Statement statement) throws SQLException {
        statement.execute("CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)");
    }

    Optional<String> get(String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT value FROM settings WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    void put(String name, String value) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value")) {
            upsert.setString(1, name);
            upsert.setString(2, value);
            upsert.executeUpdate();
        }
    }
}
