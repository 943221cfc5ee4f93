package dev.pawkit.sync.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How each answer is acted on: applied, conflict, transient (retry with the same key) or permanent. Pure. */
class ResponseClassifierTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final String CARD = """
            {"id":"11111111-1111-1111-1111-111111111111","type":"md-note","content":"x","tags":[],
             "collections":[],"pinned":false,"metadata":{"description":null,"image":null},"version":2,
             "createdAt":"2026-01-01T09:00:00Z","updatedAt":"2026-01-01T09:30:00Z","deleted":false}""";

    @Test
    void createdAndUpdatedCarryTheServersCard() {
        SendResult created = classify(OperationKind.CREATE, 201, CARD, null);
        assertThat(created).isInstanceOf(SendResult.Applied.class);
        assertThat(((SendResult.Applied) created).card().version()).isEqualTo(2);
        assertThat(classify(OperationKind.UPDATE, 200, CARD, null)).isInstanceOf(SendResult.Applied.class);
    }

    @Test
    void aDeletionAnswersItsVersion() {
        assertThat(classify(OperationKind.DELETE, 200, "{\"id\":\"x\",\"version\":5,\"deleted\":true}", null))
                .isEqualTo(new SendResult.Deleted(5));
    }

    @Test
    void aVersionConflictCarriesTheCurrentCard() {
        SendResult result = classify(OperationKind.UPDATE, 409, problem(409, "version-conflict",
                ",\"currentVersion\":2,\"currentCard\":" + CARD), null);
        assertThat(result).isInstanceOf(SendResult.VersionConflict.class);
        assertThat(((SendResult.VersionConflict) result).current().version()).isEqualTo(2);
    }

    @Test
    void serverErrorsTooManyRequestsAndInProgressAreTransient() {
        assertThat(classify(OperationKind.CREATE, 500, problem(500, "x", ""), null)).isInstanceOf(SendResult.Transient.class);
        assertThat(classify(OperationKind.CREATE, 503, "", "5"))
                .isEqualTo(new SendResult.Transient("HTTP 503", Duration.ofSeconds(5)));
        assertThat(classify(OperationKind.CREATE, 429, problem(429, "too-many-requests", ""), "7"))
                .extracting(r -> ((SendResult.Transient) r).retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(classify(OperationKind.UPDATE, 409, problem(409, "request-in-progress", ""), null))
                .isInstanceOf(SendResult.Transient.class);
    }

    @Test
    void otherClientErrorsArePermanent() {
        assertThat(classify(OperationKind.CREATE, 400, problem(400, "invalid-request", ""), null))
                .isEqualTo(new SendResult.Permanent("HTTP 400 invalid-request: detail"));
        assertThat(classify(OperationKind.UPDATE, 410, problem(410, "card-deleted", ""), null))
                .isInstanceOf(SendResult.Permanent.class);
        assertThat(classify(OperationKind.UPDATE, 422, problem(422, "idempotency-key-reused", ""), null))
                .isInstanceOf(SendResult.Permanent.class);
        assertThat(classify(OperationKind.CREATE, 401, "", null)).isEqualTo(new SendResult.Permanent("HTTP 401"));
    }

    @Test
    void deletingACardSomeoneElseDeletedIsDone() {
        assertThat(classify(OperationKind.DELETE, 410, problem(410, "card-deleted", ""), null))
                .isEqualTo(new SendResult.Deleted(-1));
    }

    @Test
    void aCreateWhoseCardExistsAppliedEarlier() {
        SendResult result = classify(OperationKind.CREATE, 409, problem(409, "card-exists",
                ",\"currentVersion\":2,\"currentCard\":" + CARD), null);
        assertThat(result).isInstanceOf(SendResult.Applied.class);
    }

    @Test
    void acceptedPointsAtTheCommandStatus() {
        ApiResponse accepted = new ApiResponse(202, "{\"commandId\":\"c\",\"status\":\"pending\"}", "/api/commands/c", "1");
        assertThat(ResponseClassifier.classify(OperationKind.CREATE, accepted, NOW))
                .isEqualTo(new SendResult.Accepted("/api/commands/c", Duration.ofSeconds(1)));
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        assertThat(ResponseClassifier.retryAfter("120", NOW)).isEqualTo(Duration.ofMinutes(2));
        assertThat(ResponseClassifier.retryAfter("Thu, 01 Jan 2026 10:00:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(30));
        assertThat(ResponseClassifier.retryAfter("Thu, 01 Jan 2026 09:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
        assertThat(ResponseClassifier.retryAfter("soon", NOW)).isNull();
        assertThat(ResponseClassifier.retryAfter(null, NOW)).isNull();
    }

    private static SendResult classify(OperationKind kind, int status, String body, String retryAfter) {
        return ResponseClassifier.classify(kind, new ApiResponse(status, body, null, retryAfter), NOW);
    }

    private static String problem(int status, String type, String extra) {
        return "{\"type\":\"https://pawkit.dev/problems/" + type + "\",\"title\":\"t\",\"status\":" + status
                + ",\"detail\":\"detail\"" + extra + "}";
    }
}
