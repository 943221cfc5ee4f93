package dev.pawkit.sync.enricher.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.PageMetadata;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The retry rules, over a scripted page source and a recording sleeper: no network, no waiting. */
class MetadataFetcherTest {

    private static final FetchOutcome.Fetched PAGE =
            new FetchOutcome.Fetched(new PageMetadata("T", null, null, null, null));
    private static final FetchOutcome.Retryable UNAVAILABLE = new FetchOutcome.Retryable("HTTP 503", null);

    private final List<Duration> slept = new ArrayList<>();
    private final List<URI> asked = new ArrayList<>();

    private MetadataFetcher fetcher(int retries, FetchOutcome... script) {
        Deque<FetchOutcome> outcomes = new ArrayDeque<>(List.of(script));
        PageSource source = url -> {
            asked.add(url);
            return outcomes.removeFirst();
        };
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5), () -> 0.5);
        return new MetadataFetcher(source, retries, backoff, slept::add);
    }

    @Test
    void transientFailuresAreRetriedWithBackoffUntilThePageComes() throws Exception {
        assertThat(fetcher(3, UNAVAILABLE, UNAVAILABLE, PAGE).fetch("https://example.com/")).isEqualTo(PAGE);
        assertThat(asked).hasSize(3);
        assertThat(slept).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
    }

    @Test
    void retriesRunOutIntoAFailure() throws Exception {
        assertThat(fetcher(2, UNAVAILABLE, UNAVAILABLE, UNAVAILABLE).fetch("https://example.com/"))
                .isEqualTo(new FetchOutcome.Failed("HTTP 503 (gave up after 3 attempts)"));
        assertThat(slept).hasSize(2);
    }

    @Test
    void retryAfterIsWaitedAsAskedOrGivenUpOnBeyondTheCap() throws Exception {
        FetchOutcome tooMany = new FetchOutcome.Retryable("HTTP 429", Duration.ofSeconds(2));
        assertThat(fetcher(3, tooMany, PAGE).fetch("https://example.com/")).isEqualTo(PAGE);
        assertThat(slept).containsExactly(Duration.ofSeconds(2));

        FetchOutcome later = new FetchOutcome.Retryable("HTTP 429", Duration.ofSeconds(60));
        assertThat(fetcher(3, later).fetch("https://example.com/")).isEqualTo(
                new FetchOutcome.Failed("HTTP 429 (asked to retry after 60 s, more than the enricher waits)"));
    }

    @Test
    void permanentFailuresAreNotRetried() throws Exception {
        FetchOutcome notFound = new FetchOutcome.Failed("HTTP 404");
        assertThat(fetcher(3, notFound).fetch("https://example.com/")).isEqualTo(notFound);
        assertThat(slept).isEmpty();
        assertThat(fetcher(3).fetch("http://exa mple.com/")).isEqualTo(new FetchOutcome.Failed("not a valid URL"));
    }
}
