package dev.pawkit.sync.client;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The operation queue's rows, in queue order ({@code seq}). */
final class OperationTable {

    private static final String COLUMNS = "seq, kind, card_id, idempotency_key, fields, patch, base_version,"
            + " base_fields, status, attempts, next_attempt_at, last_error, created_at, sent";

    private final Connection connection;

    OperationTable(Connection connection) {
        this.connection = connection;
    }

    static void create(Statement statement) throws SQLException {
        statement.execute("""
                CREATE TABLE IF NOT EXISTS operations (
                  seq INTEGER PRIMARY KEY AUTOINCREMENT,
                  kind TEXT NOT NULL,
                  card_id TEXT NOT NULL,
                  idempotency_key TEXT NOT NULL UNIQUE,
                  fields TEXT,
                  patch TEXT,
                  base_version INTEGER NOT NULL,
                  base_fields TEXT,
                  status TEXT NOT NULL,
                  attempts INTEGER NOT NULL,
                  next_attempt_at INTEGER,
                  last_error TEXT,
                  created_at INTEGER NOT NULL,
                  sent INTEGER NOT NULL DEFAULT 0)""");
        statement.execute("CREATE INDEX IF NOT EXISTS operations_by_card ON operations (card_id, seq)");
        addSentColumn(statement);
    }

    /**
     * A store written before operations were merged has no {@code sent} column. Its operations may
     * have been sent, so they count as sent: never merged.
     */
    private static void addSentColumn(Statement statement) throws SQLException {
        try (ResultSet columns = statement.executeQuery("SELECT 1 FROM pragma_table_info('operations') WHERE name = 'sent'")) {
            if (columns.next()) {
                return;
            }
        }
        statement.execute("ALTER TABLE operations ADD COLUMN sent INTEGER NOT NULL DEFAULT 1");
    }

    long insert(OperationKind kind, String cardId, String key, CardFields fields, CardPatch patch,
            long baseVersion, CardFields baseFields, Instant at) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO operations (kind, card_id, idempotency_key, fields, patch, base_version, base_fields,
                  status, attempts, created_at, sent) VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, 0)""",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, kind.name());
            insert.setString(2, cardId);
            insert.setString(3, key);
            insert.setString(4, fields == null ? null : CardJson.fields(fields));
            insert.setString(5, patch == null ? null : CardJson.patch(patch));
            insert.setLong(6, baseVersion);
            insert.setString(7, baseFields == null ? null : CardJson.fields(baseFields));
            insert.setLong(8, at.toEpochMilli());
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    List<Operation> all() throws SQLException {
        return query("SELECT " + COLUMNS + " FROM operations ORDER BY seq");
    }

    /** The oldest operation of each card, in queue order: the only ones that may be sent. */
    List<Operation> heads() throws SQLException {
        return query("SELECT " + COLUMNS + " FROM operations WHERE seq IN"
                + " (SELECT MIN(seq) FROM operations GROUP BY card_id) ORDER BY seq");
    }

    List<Operation> ofCard(String cardId) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM operations WHERE card_id = ? ORDER BY seq", cardId);
    }

    Optional<Operation> find(long seq) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM operations WHERE seq = ?", seq).stream().findFirst();
    }

    /**
     * Marks an operation as about to go on the wire: from here on nothing is merged into it (its
     * key may be applied). Committed before the request leaves, so a crash mid-send cannot lead
     * to a merge either.
     */
    void markSent(long seq) throws SQLException {
        update("UPDATE operations SET sent = 1 WHERE seq = ?", seq);
    }

    /** The request never left (connection refused): nothing of it can have applied, so it may merge again. */
    void markUnsent(long seq) throws SQLException {
        update("UPDATE operations SET sent = 0 WHERE seq = ?", seq);
    }

    /** A never-sent operation takes a merged change's place: same seq, same key, same base, new content. */
    void rewrite(long seq, OperationKind kind, CardFields fields, CardPatch patch) throws SQLException {
        if (update("UPDATE operations SET kind = ?, fields = ?, patch = ? WHERE seq = ? AND sent = 0", kind.name(),
                fields == null ? null : CardJson.fields(fields), patch == null ? null : CardJson.patch(patch),
                seq) != 1) {
            throw new IllegalStateException("operation " + seq + " was sent; nothing may be merged into it");
        }
    }

    void delete(long seq) throws SQLException {
        update("DELETE FROM operations WHERE seq = ?", seq);
    }

    void markRetrying(long seq, int attempts, Instant nextAttemptAt, String error) throws SQLException {
        update("UPDATE operations SET status = 'RETRYING', attempts = ?, next_attempt_at = ?, last_error = ?"
                + " WHERE seq = ?", attempts, nextAttemptAt.toEpochMilli(), error, seq);
    }

    void markFailed(long seq, int attempts, String error) throws SQLException {
        update("UPDATE operations SET status = 'FAILED', attempts = ?, next_attempt_at = NULL, last_error = ?"
                + " WHERE seq = ?", attempts, error, seq);
    }

    /** Back to the start of its retry budget, as a user's "retry" asks. The key stays: it may have applied. */
    boolean markPendingAgain(long seq) throws SQLException {
        return update("UPDATE operations SET status = 'PENDING', attempts = 0, next_attempt_at = NULL,"
                + " last_error = NULL WHERE seq = ? AND status = 'FAILED'", seq) == 1;
    }

    /** Remembers why the last send did not get through, without spending a retry (server unreachable). */
    void noteError(long seq, String error) throws SQLException {
        update("UPDATE operations SET last_error = ? WHERE seq = ?", error, seq);
    }

    /**
     * The card's later operations were made on top of the one just applied, so they are now based
     * on the version it produced.
     */
    void rebase(String cardId, long afterSeq, long version) throws SQLException {
        update("UPDATE operations SET base_version = ? WHERE card_id = ? AND seq > ?", version, cardId, afterSeq);
    }

    /**
     * After a conflict: the operation becomes a new request (another body, another base version),
     * so it gets a new key; the old key's answer (the 409) stays what it was.
     */
    void resolve(long seq, CardPatch patch, long baseVersion, CardFields baseFields, String newKey)
            throws SQLException {
        update("UPDATE operations SET patch = ?, base_version = ?, base_fields = ?, idempotency_key = ?,"
                + " status = 'PENDING', next_attempt_at = NULL, last_error = NULL WHERE seq = ?",
                patch == null ? null : CardJson.patch(patch), baseVersion,
                baseFields == null ? null : CardJson.fields(baseFields), newKey, seq);
    }

    Map<OperationStatus, Integer> countByStatus() throws SQLException {
        Map<OperationStatus, Integer> counts = new EnumMap<>(OperationStatus.class);
        for (OperationStatus status : OperationStatus.values()) {
            counts.put(status, 0);
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT status, COUNT(*) FROM operations GROUP BY status");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                counts.put(OperationStatus.valueOf(rows.getString(1)), rows.getInt(2));
            }
        }
        return counts;
    }

    private List<Operation> query(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            bind(select, parameters);
            List<Operation> operations = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    operations.add(operation(rows));
                }
            }
            return operations;
        }
    }

    private int update(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i];
            if (value == null) {
                statement.setNull(i + 1, Types.VARCHAR);
            } else if (value instanceof Long number) {
                statement.setLong(i + 1, number);
            } else if (value instanceof Integer number) {
                statement.setInt(i + 1, number);
            } else {
                statement.setString(i + 1, value.toString());
            }
        }
    }

    private static Operation operation(ResultSet row) throws SQLException {
        String fields = row.getString("fields");
        String patch = row.getString("patch");
        String baseFields = row.getString("base_fields");
        long nextAttemptAt = row.getLong("next_attempt_at");
        boolean hasNextAttempt = !row.wasNull();
        return new Operation(
                row.getLong("seq"),
                OperationKind.valueOf(row.getString("kind")),
                row.getString("card_id"),
                row.getString("idempotency_key"),
                fields == null ? null : CardJson.readFields(fields),
                patch == null ? null : CardJson.readPatch(patch),
                row.getLong("base_version"),
                baseFields == null ? null : CardJson.readFields(baseFields),
                OperationStatus.valueOf(row.getString("status")),
                row.getInt("attempts"),
                hasNextAttempt ? Instant.ofEpochMilli(nextAttemptAt) : null,
                row.getString("last_error"),
                Instant.ofEpochMilli(row.getLong("created_at")),
                row.getInt("sent") == 1);
    }
}
