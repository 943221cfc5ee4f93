package dev.pawkit.sync.enricher.fetch;

import dev.pawkit.sync.domain.PageMetadata;
import java.time.Duration;

/**
 * What fetching a page came to. {@link Retryable} is the result of one attempt only: the
 * {@link MetadataFetcher} retries it, so its own result is always {@link Fetched} or {@link Failed}.
 */
public sealed interface FetchOutcome {

    /** The page's metadata, read from the URL the redirects ended at. */
    record Fetched(PageMetadata page) implements FetchOutcome {
    }

    /** No page, for good: recorded on the card and on the dead-letter topic. */
    record Failed(String reason) implements FetchOutcome {
    }

    /** No page this time (timeout, connection error, 5xx, 429); {@code retryAfter} as the server asked, or null. */
    record Retryable(String reason, Duration retryAfter) implements FetchOutcome {
    }
}
