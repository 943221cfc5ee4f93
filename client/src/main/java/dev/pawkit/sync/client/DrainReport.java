package dev.pawkit.sync.client;

import java.time.Instant;
import java.util.Optional;

/**
 * What one drain did.
 *
 * @param sent operations sent (each send counts, answered or not)
 * @param offline the server could not be reached; the drain stopped there
 * @param nextRetry when the earliest scheduled retry is due, if any
 */
public record DrainReport(int sent, boolean offline, Optional<Instant> nextRetry) {
}
