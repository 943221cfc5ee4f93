package dev.pawkit.sync.api.web;

import dev.pawkit.sync.domain.Card;
import dev.pawkit.sync.domain.CommandOutcome;
import dev.pawkit.sync.domain.Rejection;
import dev.pawkit.sync.domain.log.OutcomeEnvelope;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Turns a projector decision into the HTTP response. A pure function of the stored outcome, so a
 * replayed request, or a later GET of the command's status, gets the same status and body.
 */
public final class OutcomeResponses {

    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private OutcomeResponses() {
    }

    public static ResponseEntity<Object> render(OutcomeEnvelope outcome) {
        ResponseEntity.BodyBuilder response;
        Object body;
        if (outcome.outcome() instanceof CommandOutcome.Erased) {
            return ResponseEntity.noContent().build();
        }
        if (outcome.outcome() instanceof CommandOutcome.Applied applied) {
            Card card = applied.card();
            switch (applied.kind()) {
                case CREATED -> {
                    response = ResponseEntity.status(HttpStatus.CREATED)
                            .location(URI.create("/api/cards/" + card.id()))
                            .eTag(CardJson.etag(card.version()));
                    body = CardJson.of(card);
                }
                case UPDATED -> {
                    response = ResponseEntity.ok().eTag(CardJson.etag(card.version()));
                    body = CardJson.of(card);
                }
                default -> {
                    response = ResponseEntity.ok();
                    Map<String, Object> deleted = new LinkedHashMap<>();
                    deleted.put("id", card.id());
                    deleted.put("version", card.version());
                    deleted.put("deleted", true);
                    body = deleted;
                }
            }
        } else {
            ProblemDetail problem = problem(((CommandOutcome.Rejected) outcome.outcome()).rejection(), outcome.cardId());
            response = ResponseEntity.status(problem.getStatus());
            body = problem;
        }
        if (outcome.replayed()) {
            response.header(REPLAYED_HEADER, "true");
        }
        return response.body(body);
    }

    private static ProblemDetail problem(Rejection rejection, String cardId) {
        // Java 17 has no pattern switch; Rejection is sealed, so these branches are exhaustive.
        if (rejection instanceof Rejection.NotFound) {
            return Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", "no card " + cardId);
        }
        if (rejection instanceof Rejection.Gone) {
            return Problems.of(HttpStatus.GONE, "card-deleted", "Gone",
                    "card " + cardId + " was deleted; a deleted card never comes back");
        }
        if (rejection instanceof Rejection.VersionConflict conflict) {
            return conflict(HttpStatus.CONFLICT, "version-conflict", "Version conflict",
                    "Card was modified by another client", conflict.current());
        }
        if (rejection instanceof Rejection.PreconditionFailed failed) {
            return conflict(HttpStatus.PRECONDITION_FAILED, "precondition-failed",
                    "Precondition failed", "If-Match does not match the card's current version", failed.current());
        }
        if (rejection instanceof Rejection.CardExists exists) {
            return conflict(HttpStatus.CONFLICT, "card-exists", "Card exists",
                    "a card with id " + cardId + " already exists", exists.current());
        }
        if (rejection instanceof Rejection.InvalidCard invalid) {
            return Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-card", "Invalid card", invalid.reason());
        }
        return Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused", "Idempotency key reused",
                "this Idempotency-Key was already used for a different request; use a new key per request");
    }

    /** The seed's conflict body ({@code error}, {@code message}, {@code currentVersion}, {@code currentCard}) in a problem. */
    private static ProblemDetail conflict(HttpStatus status, String type, String title, String message,
            Card current) {
        ProblemDetail problem = Problems.of(status, type, title, message);
        problem.setProperty("error", status.getReasonPhrase());
        problem.setProperty("message", message);
        problem.setProperty("currentVersion", current.version());
        problem.setProperty("currentCard", CardJson.of(current));
        return problem;
    }
}
