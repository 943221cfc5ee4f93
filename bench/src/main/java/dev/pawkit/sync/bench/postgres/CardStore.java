package dev.pawkit.sync.bench.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The {@code cards} table: one row per card, its current state; callers hold the transaction. */
@Component
class CardStore {

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS cards (
                owner text NOT NULL,
                id uuid NOT NULL,
                type text NOT NULL,
                url text,
                title text,
                notes text,
                content text,
                tags text[] NOT NULL,
                collections text[] NOT NULL,
                pinned boolean NOT NULL,
                description text,
                image text,
                version bigint NOT NULL,
                deleted boolean NOT NULL,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (owner, id))""";

    private static final String COLUMNS = "owner, id, type, url, title, notes, content, tags, collections, pinned,"
            + " description, image, version, deleted, created_at, updated_at";

    private final JdbcTemplate jdbc;

    CardStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        // Here, before the web server opens: no request can come before its table.
        jdbc.execute(SCHEMA);
    }

    /** Inserts version 1; false when the user already has a card with that id (left as it is). */
    boolean insert(Card card) {
        Card.Fields f = card.fields();
        return jdbc.update("INSERT INTO cards (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (owner, id) DO NOTHING",
                card.owner(), UUID.fromString(card.id()), f.type(), f.url(), f.title(), f.notes(), f.content(),
                array(f.tags()), array(f.collections()), f.pinned(), f.description(), f.image(), card.version(),
                card.deleted(), time(card.createdAt()), time(card.updatedAt())) == 1;
    }

    Optional<Card> find(String owner, String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM cards WHERE owner = ? AND id = ?", CardStore::card,
                owner, UUID.fromString(id)).stream().findFirst();
    }

    /** The card, locked until the transaction ends: the decision on it is taken on what is stored. */
    Optional<Card> lock(String owner, String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM cards WHERE owner = ? AND id = ? FOR UPDATE", CardStore::card,
                owner, UUID.fromString(id)).stream().findFirst();
    }

    /** Writes the card's new state over the version it replaces. */
    void replace(Card card, long previousVersion) {
        Card.Fields f = card.fields();
        int rows = jdbc.update("UPDATE cards SET url = ?, title = ?, notes = ?, content = ?, tags = ?, collections = ?,"
                        + " pinned = ?, description = ?, image = ?, version = ?, deleted = ?, updated_at = ?"
                        + " WHERE owner = ? AND id = ? AND version = ?",
                f.url(), f.title(), f.notes(), f.content(), array(f.tags()), array(f.collections()), f.pinned(),
                f.description(), f.image(), card.version(), card.deleted(), time(card.updatedAt()),
                card.owner(), UUID.fromString(card.id()), previousVersion);
        if (rows != 1) {
            // The row is locked (lock above), so another version here is a bug, not a race.
            throw new IllegalStateException("card " + card.id() + " is no longer at version " + previousVersion);
        }
    }

    private static Card card(ResultSet row, int rowNumber) throws SQLException {
        Card.Fields fields = new Card.Fields(row.getString("type"), row.getString("url"), row.getString("title"),
                row.getString("notes"), row.getString("content"), list(row, "tags"), list(row, "collections"),
                row.getBoolean("pinned"), row.getString("description"), row.getString("image"));
        return new Card(row.getString("id"), row.getString("owner"), fields, row.getLong("version"),
                row.getObject("created_at", OffsetDateTime.class).toInstant(),
                row.getObject("updated_at", OffsetDateTime.class).toInstant(), row.getBoolean("deleted"));
    }

    private static List<String> list(ResultSet row, String column) throws SQLException {
        return List.of((String[]) row.getArray(column).getArray());
    }

    private static String[] array(List<String> values) {
        return values.toArray(String[]::new);
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
