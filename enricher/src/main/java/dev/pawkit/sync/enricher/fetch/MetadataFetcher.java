package dev.pawkit.sync.enricher.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;

/**
 * Fetches a card's page until it has an answer that will not change by asking again: retries
 * transient failures with {@link Backoff}, at most {@code retries} times, and turns the last one
 * into a failure. The result is always {@link FetchOutcome.Fetched} or {@link FetchOutcome.Failed}.
 */
public final class MetadataFetcher {

    private final PageSource pages;
    private final int retries;
    private final Backoff backoff;
    private final Sleeper sleeper;

    public MetadataFetcher(PageSource pages, int retries, Backoff backoff, Sleeper sleeper) {
        this.pages = pages;
        this.retries = retries;
        this.backoff = backoff;
        this.sleeper = sleeper;
    }

    /** @throws InterruptedException when the enricher stops meanwhile: no answer, the event will be read again */
    public FetchOutcome fetch(String url) throws InterruptedException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return new FetchOutcome.Failed("not a valid URL");
        }
        for (int attempt = 1; ; attempt++) {
            FetchOutcome outcome = pages.fetchOnce(uri);
            if (!(outcome instanceof FetchOutcome.Retryable retryable)) {
                return outcome;
            }
            if (attempt > retries) {
                return new FetchOutcome.Failed(retryable.reason() + " (gave up after " + attempt
                        + (attempt == 1 ? " attempt)" : " attempts)"));
            }
            Optional<Duration> delay = backoff.delayBefore(attempt, retryable.retryAfter());
            if (delay.isEmpty()) {
                return new FetchOutcome.Failed(retryable.reason() + " (asked to retry after "
                        + retryable.retryAfter().toSeconds() + " s, more than the enricher waits)");
            }
            sleeper.sleep(delay.get());
        }
    }
}
