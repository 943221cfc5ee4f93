package dev.pawkit.sync.client;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The conflict journal: every conflict and its resolution, so what lost can always be found again. */
final class ConflictTable {

    private final Connection connection;

    ConflictTable(Connection connection) {
        this.connection = connection;
    }

    static void create(Statement statement) throws SQLException {
        statement.execute("""
                CREATE TABLE IF NOT EXISTS conflicts (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  operation INTEGER NOT NULL,
                  card_id TEXT NOT NULL,
                  kind TEXT NOT NULL,
                  mine TEXT,
                  theirs TEXT NOT NULL,
                  resolution TEXT NOT NULL,
                  sent TEXT,
                  at INTEGER NOT NULL)""");
    }

    void insert(ResolvedConflict conflict) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO conflicts (operation, card_id, kind, mine, theirs, resolution, sent, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setLong(1, conflict.operation());
            insert.setString(2, conflict.cardId());
            insert.setString(3, conflict.kind().name());
            insert.setString(4, conflict.mine() == null ? null : CardJson.patch(conflict.mine()));
            insert.setString(5, CardJson.card(conflict.theirs()));
            insert.setString(6, conflict.resolution());
            insert.setString(7, conflict.sent() == null ? null : CardJson.patch(conflict.sent()));
            insert.setLong(8, conflict.at().toEpochMilli());
            insert.executeUpdate();
        }
    }

    List<ResolvedConflict> all() throws SQLException {
        List<ResolvedConflict> conflicts = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT operation, card_id, kind, mine, theirs, resolution, sent, at FROM conflicts ORDER BY id");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String mine = rows.getString("mine");
                String sent = rows.getString("sent");
                conflicts.add(new ResolvedConflict(rows.getLong("operation"), rows.getString("card_id"),
                        OperationKind.valueOf(rows.getString("kind")),
                        mine == null ? null : CardJson.readPatch(mine),
                        CardJson.readCard(CardJson.parse(rows.getString("theirs"))),
                        rows.getString("resolution"),
                        sent == null ? null : CardJson.readPatch(sent),
                        Instant.ofEpochMilli(rows.getLong("at"))));
            }
        }
        return conflicts;
    }
}
