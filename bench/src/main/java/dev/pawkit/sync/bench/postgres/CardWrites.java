package dev.pawkit.sync.bench.postgres;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The three writes, each one database transaction: take the idempotency key (or answer from what
 * it holds), decide on the card as stored and locked, write the card and the answer, commit. The
 * commit is the acknowledgement, as the log append is Pawkit's; the decisions are Pawkit's
 * decider's (existence, then deletion, then version; an edit that changes nothing makes no version).
 */
@Component
class CardWrites {

    private final CardStore cards;
    private final IdempotencyKeys keys;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final Clock clock;

    CardWrites(CardStore cards, IdempotencyKeys keys, PlatformTransactionManager transactionManager, JsonMapper json,
            Clock clock) {
        this.cards = cards;
        this.keys = keys;
        this.transactions = new TransactionTemplate(transactionManager);
        this.json = json;
        this.clock = clock;
    }

    /** @param path the request's path: a problem's {@code instance}, as Spring MVC fills it in for Pawkit */
    WriteResponse create(String path, String owner, String key, String fingerprint, String id, Card.Fields fields) {
        return once(path, owner, key, fingerprint, () -> {
            Instant now = now();
            Card card = new Card(id, owner, fields, 1, now, now, false);
            if (!cards.insert(card)) {
                return conflict(path, HttpStatus.CONFLICT, "card-exists", "Card exists",
                        "a card with id " + id + " already exists", cards.find(owner, id).orElseThrow());
            }
            return new WriteResponse(201, Card.etag(1), "/api/cards/" + id, write(card.json()), false);
        });
    }

    WriteResponse update(String path, String owner, String key, String fingerprint, String id, JsonNode patch,
            CardRequests.Expected expected) {
        return once(path, owner, key, fingerprint, () -> {
            Optional<Card> stored = cards.lock(owner, id);
            WriteResponse refused = refusal(path, id, stored, expected);
            if (refused != null) {
                return refused;
            }
            Card current = stored.get();
            Card.Fields fields = CardRequests.apply(current.fields(), patch);
            if (fields.equals(current.fields())) {
                return updated(current);
            }
            String invalid = CardRequests.violation(fields);
            if (invalid != null) {
                return problem(path, Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-card", "Invalid card",
                        invalid));
            }
            Card next = new Card(id, owner, fields, current.version() + 1, current.createdAt(), now(), false);
            cards.replace(next, current.version());
            return updated(next);
        });
    }

    WriteResponse delete(String path, String owner, String key, String fingerprint, String id,
            CardRequests.Expected expected) {
        return once(path, owner, key, fingerprint, () -> {
            Optional<Card> stored = cards.lock(owner, id);
            WriteResponse refused = refusal(path, id, stored, expected);
            if (refused != null) {
                return refused;
            }
            Card current = stored.get();
            Card gone = new Card(id, owner, current.fields(), current.version() + 1, current.createdAt(), now(), true);
            cards.replace(gone, current.version());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", id);
            body.put("version", gone.version());
            body.put("deleted", true);
            return new WriteResponse(200, null, null, write(body), false);
        });
    }

    /**
     * Runs the decision under the key in one transaction. A key row another transaction is still
     * deciding blocks the insert in {@link IdempotencyKeys#claim} until that one commits, so the
     * same request twice has one effect and both get its answer.
     */
    private WriteResponse once(String path, String owner, String key, String fingerprint,
            Supplier<WriteResponse> decide) {
        return transactions.execute(status -> {
            if (key == null) {
                // As in Pawkit: a write without a key is decided, not remembered (not idempotent).
                return decide.get();
            }
            Optional<IdempotencyKeys.Entry> earlier = keys.claim(owner, key, fingerprint);
            if (earlier.isPresent()) {
                // Not stored: the key keeps answering the request it was first used for.
                return earlier.get().fingerprint().equals(fingerprint) ? earlier.get().response().asReplay()
                        : problem(path, Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused",
                                "Idempotency key reused", "this Idempotency-Key was already used for a different"
                                        + " request; use a new key per request"));
            }
            WriteResponse response = decide.get();
            keys.answer(owner, key, response);
            return response;
        });
    }

    /** Why the card cannot take this write (404, 410, 409, 412), or null when it can. */
    private WriteResponse refusal(String path, String id, Optional<Card> stored, CardRequests.Expected expected) {
        if (stored.isEmpty()) {
            return problem(path, Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", "no card " + id));
        }
        Card current = stored.get();
        if (current.deleted()) {
            return problem(path, Problems.of(HttpStatus.GONE, "card-deleted", "Gone",
                    "card " + id + " was deleted; a deleted card never comes back"));
        }
        if (expected == null || expected.version() == current.version()) {
            return null;
        }
        return expected.ifMatch()
                ? conflict(path, HttpStatus.PRECONDITION_FAILED, "precondition-failed", "Precondition failed",
                        "If-Match does not match the card's current version", current)
                : conflict(path, HttpStatus.CONFLICT, "version-conflict", "Version conflict",
                        "Card was modified by another client", current);
    }

    private WriteResponse updated(Card card) {
        return new WriteResponse(200, Card.etag(card.version()), null, write(card.json()), false);
    }

    /** Pawkit's conflict body: the seed's fields ({@code error}, {@code message}, the current card) in a problem. */
    private WriteResponse conflict(String path, HttpStatus status, String type, String title, String message,
            Card current) {
        ProblemDetail problem = Problems.of(status, type, title, message);
        problem.setProperty("error", status.getReasonPhrase());
        problem.setProperty("message", message);
        problem.setProperty("currentVersion", current.version());
        problem.setProperty("currentCard", current.json());
        return problem(path, problem);
    }

    private WriteResponse problem(String path, ProblemDetail problem) {
        problem.setInstance(URI.create(path));
        return new WriteResponse(problem.getStatus(), null, null, write(problem), false);
    }

    private String write(Object body) {
        return json.writeValueAsString(body);
    }

    /** Milliseconds, as Pawkit's times (Kafka record timestamps); PostgreSQL keeps them exactly. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
