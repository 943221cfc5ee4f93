package dev.pawkit.sync.bench.postgres;

/**
 * A write's answer as it is sent and stored under its idempotency key: status, the headers that
 * carry meaning, and the JSON body as text, so a replay sends the same bytes.
 *
 * @param etag null when the answer has none (deletes, problems)
 * @param location null but for a create
 */
record WriteResponse(int status, String etag, String location, String body, boolean replayed) {

    WriteResponse asReplay() {
        return new WriteResponse(status, etag, location, body, true);
    }
}
