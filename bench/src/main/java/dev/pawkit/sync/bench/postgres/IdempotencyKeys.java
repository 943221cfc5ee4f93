package dev.pawkit.sync.bench.postgres;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The {@code idempotency_keys} table: per (user, key) the request's fingerprint and the response it
 * got. The primary key is the mechanism: a second request with a key still being decided blocks on
 * the first one's insert until that transaction ends, then finds its row and answers from it.
 */
@Component
class IdempotencyKeys {

    /** As long as Pawkit keeps a key (its {@code pawkit.idempotency.ttl}). */
    static final Duration TTL = Duration.ofHours(24);

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS idempotency_keys (
                owner text NOT NULL,
                key text NOT NULL,
                fingerprint text NOT NULL,
                status int,
                etag text,
                location text,
                body text,
                created_at timestamptz NOT NULL,
                PRIMARY KEY (owner, key))""";

    /** What a key was first used for and the answer it got. */
    record Entry(String fingerprint, WriteResponse response) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    IdempotencyKeys(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        jdbc.execute(SCHEMA);
    }

    /**
     * Takes the key for this request, in the caller's transaction; or, when it was taken before,
     * what it was taken for (waiting first for a transaction that holds it to end).
     */
    Optional<Entry> claim(String owner, String key, String fingerprint) {
        int inserted = jdbc.update("INSERT INTO idempotency_keys (owner, key, fingerprint, created_at)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (owner, key) DO NOTHING",
                owner, key, fingerprint, clock.instant().atOffset(ZoneOffset.UTC));
        if (inserted == 1) {
            return Optional.empty();
        }
        return Optional.of(jdbc.queryForObject(
                "SELECT fingerprint, status, etag, location, body FROM idempotency_keys WHERE owner = ? AND key = ?",
                (row, n) -> new Entry(row.getString("fingerprint"), new WriteResponse(row.getInt("status"),
                        row.getString("etag"), row.getString("location"), row.getString("body"), false)),
                owner, key));
    }

    /** Stores the answer under the key claimed in this transaction: they commit together. */
    void answer(String owner, String key, WriteResponse response) {
        jdbc.update("UPDATE idempotency_keys SET status = ?, etag = ?, location = ?, body = ?"
                        + " WHERE owner = ? AND key = ?",
                response.status(), response.etag(), response.location(), response.body(), owner, key);
    }

    /** Keys live {@link #TTL} from first use, then are forgotten, as in Pawkit. */
    @Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
    void purge() {
        jdbc.update("DELETE FROM idempotency_keys WHERE created_at < ?",
                clock.instant().minus(TTL).atOffset(ZoneOffset.UTC));
    }

    /** "The same request": method, path and query, If-Match, and the body's JSON with keys sorted. */
    static String fingerprint(String request, String ifMatch, String canonicalBody) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            String text = request + "\n" + (ifMatch == null ? "" : ifMatch) + "\n" + canonicalBody;
            return HexFormat.of().formatHex(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
