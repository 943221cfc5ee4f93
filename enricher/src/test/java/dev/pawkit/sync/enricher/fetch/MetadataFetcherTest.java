package dev.pawkit.sync.enricher.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.PageMetadata;
import dev.pawkit.sync.enricher.fetch.MetadataFetcher.Attempt;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The retry rules, one attempt at a time over a scripted page source: no network, no waiting. */
class MetadataFetcherTest {

    private static final FetchOutcome.Fetched PAGE =
            new FetchOutcome.Fetched(new PageMetadata("T", null, null, null, null));
    private static final FetchOutcome.Retryable UNAVAILABLE = new FetchOutcome.Retryable("HTTP 503", null);

    private final List<URI> asked = new ArrayList<>();

    private MetadataFetcher fetcher(int retries, FetchOutcome answer) {
        PageSource source = url -> {
            asked.add(url);
            return answer;
        };
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5), () -> 0.5);
        return new MetadataFetcher(source, retries, backoff);
    }

    @Test
    void aTransientFailureIsRetriedLaterWithBackoffAndNeverWaitedFor() throws Exception {
        MetadataFetcher fetcher = fetcher(3, UNAVAILABLE);
        assertThat(fetcher.attempt("https://example.com/", 1)).isEqualTo(new Attempt.RetryIn(Duration.ofMillis(50), "HTTP 503"));
        assertThat(fetcher.attempt("https://example.com/", 2)).isEqualTo(new Attempt.RetryIn(Duration.ofMillis(100), "HTTP 503"));
        assertThat(fetcher.attempt("https://example.com/", 2).hostFailed()).isTrue();
        assertThat(asked).hasSize(3);
    }

    @Test
    void thePageIsTheAnswerAtAnyAttempt() throws Exception {
        assertThat(fetcher(3, PAGE).attempt("https://example.com/", 3)).isEqualTo(new Attempt.Answer(PAGE, false));
    }

    @Test
    void retriesRunOutIntoAFailureOfTheHost() throws Exception {
        assertThat(fetcher(2, UNAVAILABLE).attempt("https://example.com/", 3))
                .isEqualTo(new Attempt.Answer(new FetchOutcome.Failed("HTTP 503 (gave up after 3 attempts)"), true));
    }

    @Test
    void retryAfterIsWaitedAsAskedOrGivenUpOnBeyondTheCap() throws Exception {
        FetchOutcome tooMany = new FetchOutcome.Retryable("HTTP 429", Duration.ofSeconds(2));
        assertThat(fetcher(3, tooMany).attempt("https://example.com/", 1))
                .isEqualTo(new Attempt.RetryIn(Duration.ofSeconds(2), "HTTP 429"));

        FetchOutcome later = new FetchOutcome.Retryable("HTTP 429", Duration.ofSeconds(60));
        assertThat(fetcher(3, later).attempt("https://example.com/", 1)).isEqualTo(new Attempt.Answer(
                new FetchOutcome.Failed("HTTP 429 (asked to retry after 60 s, more than the enricher waits)"), true));
    }

    @Test
    void permanentFailuresAreNotRetriedAndTheHostAnswered() throws Exception {
        FetchOutcome notFound = new FetchOutcome.Failed("HTTP 404");
        assertThat(fetcher(3, notFound).attempt("https://example.com/", 1)).isEqualTo(new Attempt.Answer(notFound, false));
        assertThat(fetcher(3, PAGE).attempt("http://exa mple.com/", 1))
                .isEqualTo(new Attempt.Answer(new FetchOutcome.Failed("not a valid URL"), false));
        assertThat(asked).hasSize(1);
    }
}
