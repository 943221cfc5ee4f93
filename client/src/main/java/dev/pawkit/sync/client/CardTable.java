package dev.pawkit.sync.client;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cache of server cards: the newest version the server reported for each card, tombstones
 * included. Local changes are never written here; they stay in the queue and are laid on top.
 */
final class CardTable {

    private final Connection connection;

    CardTable(Connection connection) {
        this.connection = connection;
    }

    static void create(Statement statement) throws SQLException {
        statement.execute("""
                CREATE TABLE IF NOT EXISTS cards (
                  id TEXT PRIMARY KEY,
                  version INTEGER NOT NULL,
                  deleted INTEGER NOT NULL,
                  json TEXT NOT NULL)""");
    }

    /** Keeps {@code card} unless a newer version is already known: answers and pulls may arrive in any order. */
    void upsert(ServerCard card) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO cards (id, version, deleted, json) VALUES (?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET version = excluded.version, deleted = excluded.deleted,
                  json = excluded.json
                WHERE excluded.version >= cards.version""")) {
            upsert.setString(1, card.id());
            upsert.setLong(2, card.version());
            upsert.setInt(3, card.deleted() ? 1 : 0);
            upsert.setString(4, CardJson.card(card));
            upsert.executeUpdate();
        }
    }

    /** A delete's answer carries no card: the cached one becomes its tombstone. */
    void markDeleted(String id, long version) throws SQLException {
        Optional<ServerCard> known = find(id);
        if (known.isPresent()) {
            ServerCard card = known.get();
            upsert(new ServerCard(card.id(), Math.max(version, card.version()), card.fields(), card.metadataState(),
                    true, card.updatedAt()));
        }
    }

    Optional<ServerCard> find(String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT json FROM cards WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(CardJson.readCard(CardJson.parse(rows.getString(1)))) : Optional.empty();
            }
        }
    }

    List<ServerCard> all() throws SQLException {
        List<ServerCard> cards = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT json FROM cards ORDER BY id");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                cards.add(CardJson.readCard(CardJson.parse(rows.getString(1))));
            }
        }
        return cards;
    }
}
