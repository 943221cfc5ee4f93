package dev.pawkit.sync.enricher.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;

/**
 * One attempt at a card's page, and what follows from it: an answer that will not change by asking
 * again, or a retry after a {@link Backoff} delay (transient failures, at most {@code retries}
 * times; the last one becomes a failure). It never waits itself: the enricher schedules the retry,
 * so a worker is never held by a backoff.
 */
public final class MetadataFetcher {

    private final PageSource pages;
    private final int retries;
    private final Backoff backoff;

    public MetadataFetcher(PageSource pages, int retries, Backoff backoff) {
        this.pages = pages;
        this.retries = retries;
        this.backoff = backoff;
    }

    /** What one attempt came to. */
    public sealed interface Attempt {

        /** True when the host failed this attempt (timeout, connection error, 5xx, 429), whatever follows. */
        boolean hostFailed();

        /** The final answer: {@link FetchOutcome.Fetched} or {@link FetchOutcome.Failed}. */
        record Answer(FetchOutcome outcome, boolean hostFailed) implements Attempt {
        }

        /** Transient trouble: attempt again, not before {@code delay} from now. */
        record RetryIn(Duration delay, String reason) implements Attempt {
            @Override
            public boolean hostFailed() {
                return true;
            }
        }
    }

    /**
     * @param attempt 1 for the first attempt at this page, 2 for the first retry, ...
     * @throws InterruptedException when the enricher stops meanwhile: no answer, the event will be read again
     */
    public Attempt attempt(String url, int attempt) throws InterruptedException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return new Attempt.Answer(new FetchOutcome.Failed("not a valid URL"), false);
        }
        FetchOutcome outcome = pages.fetchOnce(uri);
        if (!(outcome instanceof FetchOutcome.Retryable retryable)) {
            return new Attempt.Answer(outcome, false);
        }
        if (attempt > retries) {
            return new Attempt.Answer(new FetchOutcome.Failed(retryable.reason() + " (gave up after " + attempt
                    + (attempt == 1 ? " attempt)" : " attempts)")), true);
        }
        Optional<Duration> delay = backoff.delayBefore(attempt, retryable.retryAfter());
        if (delay.isEmpty()) {
            return new Attempt.Answer(new FetchOutcome.Failed(retryable.reason() + " (asked to retry after "
                    + retryable.retryAfter().toSeconds() + " s, more than the enricher waits)"), true);
        }
        return new Attempt.RetryIn(delay.get(), retryable.reason());
    }
}
