package dev.pawkit.sync.client;

import java.time.Duration;

/** What one send of an operation came to, as the queue acts on it. */
sealed interface SendResult {

    /** The server applied it (or had already: a replay, or the card our create names exists). */
    record Applied(ServerCard card) implements SendResult {
    }

    /** The card is deleted, at {@code version} (-1 when the answer does not say). */
    record Deleted(long version) implements SendResult {
    }

    /** 409 version-conflict: the card moved on; {@code current} is the server's card now. */
    record VersionConflict(ServerCard current) implements SendResult {
    }

    /** 202: appended but not decided yet; the decision will be at {@code location}. */
    record Accepted(String location, Duration retryAfter) implements SendResult {
    }

    /** Worth sending again with the same key: 5xx, 429, 409 request-in-progress, a timeout, a lost answer. */
    record Transient(String error, Duration retryAfter) implements SendResult {
    }

    /** Sending again cannot help: other 4xx. */
    record Permanent(String error) implements SendResult {
    }

    /** The server could not be reached at all: nothing was sent, so no retry is spent. */
    record Offline(String error) implements SendResult {
    }
}
