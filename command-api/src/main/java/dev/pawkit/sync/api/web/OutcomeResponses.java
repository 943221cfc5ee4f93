package dev.pawkit.sync.api.web;

import dev.pawkit.sync.schemas.avro.AppliedResult;
import dev.pawkit.sync.schemas.avro.CardView;
import dev.pawkit.sync.schemas.avro.CommandOutcomeRecord;
import dev.pawkit.sync.schemas.avro.RejectedResult;
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

    public static ResponseEntity<Object> render(CommandOutcomeRecord outcome) {
        ResponseEntity.BodyBuilder response;
        Object body;
        if (outcome.getResult() instanceof AppliedResult applied) {
            CardView card = applied.getCard();
            switch (applied.getKind()) {
                case CREATED -> {
                    response = ResponseEntity.status(HttpStatus.CREATED)
                            .location(URI.create("/api/cards/" + card.getId()))
                            .eTag(CardJson.etag(card.getVersion()));
                    body = CardJson.of(card);
                }
                case UPDATED -> {
                    response = ResponseEntity.ok().eTag(CardJson.etag(card.getVersion()));
                    body = CardJson.of(card);
                }
                default -> {
                    response = ResponseEntity.ok();
                    Map<String, Object> deleted = new LinkedHashMap<>();
                    deleted.put("id", card.getId());
                    deleted.put("version", card.getVersion());
                    deleted.put("deleted", true);
                    body = deleted;
                }
            }
        } else {
            ProblemDetail problem = problem((RejectedResult) outcome.getResult(), outcome.getCardId());
            response = ResponseEntity.status(problem.getStatus());
            body = problem;
        }
        if (outcome.getReplayed()) {
            response.header(REPLAYED_HEADER, "true");
        }
        return response.body(body);
    }

    private static ProblemDetail problem(RejectedResult rejected, String cardId) {
        CardView current = rejected.getCurrentCard();
        return switch (rejected.getReason()) {
            case NOT_FOUND -> Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found",
                    "no card " + cardId);
            case GONE -> Problems.of(HttpStatus.GONE, "card-deleted", "Gone",
                    "card " + cardId + " was deleted; a deleted card never comes back");
            case VERSION_CONFLICT -> conflict(HttpStatus.CONFLICT, "version-conflict", "Version conflict",
                    "Card was modified by another client", current);
            case PRECONDITION_FAILED -> conflict(HttpStatus.PRECONDITION_FAILED, "precondition-failed",
                    "Precondition failed", "If-Match does not match the card's current version", current);
            case CARD_EXISTS -> conflict(HttpStatus.CONFLICT, "card-exists", "Card exists",
                    "a card with id " + cardId + " already exists", current);
            case INVALID_CARD -> Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-card", "Invalid card",
                    rejected.getDetail());
            case IDEMPOTENCY_KEY_REUSED -> Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused",
                    "Idempotency key reused",
                    "this Idempotency-Key was already used for a different request; use a new key per request");
        };
    }

    /** The seed's conflict body ({@code error}, {@code message}, {@code currentVersion}, {@code currentCard}) in a problem. */
    private static ProblemDetail conflict(HttpStatus status, String type, String title, String message,
            CardView current) {
        ProblemDetail problem = Problems.of(status, type, title, message);
        problem.setProperty("error", status.getReasonPhrase());
        problem.setProperty("message", message);
        problem.setProperty("currentVersion", current.getVersion());
        problem.setProperty("currentCard", CardJson.of(current));
        return problem;
    }
}
