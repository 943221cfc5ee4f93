package dev.pawkit.sync.bench.reliability;

/**
 * What one attempt got back. {@code status} 0 means no answer at all (a timeout, a connection
 * error): the write may or may not have been applied, which the checker must allow for.
 *
 * @param cardId the card the answer names (the written card, or the current card of a conflict), or null
 * @param version the card version the answer names (after the write, or the current one of a conflict), or null
 * @param replayed whether the server said it answered from an earlier attempt ({@code Idempotent-Replayed})
 * @param detail why there is no answer, or the problem type; for the report only
 */
public record Answer(int status, String cardId, Long version, boolean replayed, String detail) {

    public static Answer unknown(String why) {
        return new Answer(0, null, null, false, why);
    }

    /** The write was applied and the answer says so: 200 or 201 (202 only says "appended, not decided"). */
    public boolean applied() {
        return status == 200 || status == 201;
    }

    /**
     * The projector decided against it and stored that decision under the key: the write has no
     * effect, and a retry must get the same answer.
     */
    public boolean rejected() {
        return status == 404 || (status == 409 && !inProgress()) || status == 410 || status == 412 || status == 422;
    }

    /**
     * 409 {@code request-in-progress}: the key's first request is still being decided (the contract
     * allows this answer to a concurrent duplicate): no decision yet, to be retried like a 202.
     */
    public boolean inProgress() {
        return status == 409 && detail != null && detail.endsWith("request-in-progress");
    }

    /** Refused before it reached the log (bad request, rate limit): no effect, and nothing stored for a retry. */
    public boolean refused() {
        return status == 400 || status == 413 || status == 415 || status == 429;
    }

    /** Applied or rejected: a decision, which every later attempt with the key must repeat. */
    public boolean decided() {
        return applied() || rejected();
    }

    public boolean serverError() {
        return status >= 500;
    }

    /** No decision known: no answer, 202 (appended, undecided), 409 request-in-progress, or a server error. */
    public boolean unknown() {
        return !decided() && !refused();
    }
}
