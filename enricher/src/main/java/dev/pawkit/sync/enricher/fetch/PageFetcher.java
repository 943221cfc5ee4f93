package dev.pawkit.sync.enricher.fetch;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One attempt at a page over HTTP (the JDK client): every hop of the redirect chain is checked by
 * the {@link FetchPolicy} before anything is sent to it, redirects are followed by hand up to the
 * limit, only an HTML answer's body is read, and at most {@code maxBytes} of it, within the read
 * timeout. Transient trouble comes back {@link FetchOutcome.Retryable}, the rest {@link FetchOutcome.Failed}.
 */
public final class PageFetcher implements PageSource {

    private static final Set<String> HTML_TYPES = Set.of("text/html", "application/xhtml+xml");

    private final HttpClient client;
    private final FetchPolicy policy;
    private final HostResolver resolver;
    private final FetchSettings settings;
    private final RedirectRule redirects;
    private final Clock clock;

    public PageFetcher(FetchPolicy policy, HostResolver resolver, FetchSettings settings, Clock clock) {
        this.policy = policy;
        this.resolver = resolver;
        this.settings = settings;
        this.redirects = new RedirectRule(settings.maxRedirects());
        this.clock = clock;
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                // Redirects are ours to follow: the client would skip the policy check on each hop.
                .followRedirects(HttpClient.Redirect.NEVER)
                // A proxy would connect somewhere else than the addresses the policy checked.
                .proxy(HttpClient.Builder.NO_PROXY)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public FetchOutcome fetchOnce(URI url) throws InterruptedException {
        List<URI> visited = new ArrayList<>();
        URI current = url;
        while (true) {
            visited.add(current);
            Optional<FetchOutcome> refused = refusalOf(current);
            if (refused.isPresent()) {
                return refused.get();
            }
            HttpResponse<BoundedBody> response;
            try {
                response = get(current);
            } catch (Unanswered unanswered) {
                return unanswered.outcome;
            }
            int status = response.statusCode();
            if (RedirectRule.isRedirect(status)) {
                RedirectRule.Next next = redirects.next(current, status,
                        response.headers().firstValue("Location").orElse(null), visited);
                if (next instanceof RedirectRule.Next.Stop stop) {
                    return new FetchOutcome.Failed(stop.reason());
                }
                current = ((RedirectRule.Next.Follow) next).url();
                continue;
            }
            return answer(response);
        }
    }

    /** The policy on the URL, then on every address its host has now; empty when it may be fetched. */
    private Optional<FetchOutcome> refusalOf(URI url) {
        Optional<String> byText = policy.refusalOf(url);
        if (byText.isPresent()) {
            return Optional.of(new FetchOutcome.Failed(byText.get()));
        }
        String host = FetchPolicy.normalHost(url.getHost());
        List<InetAddress> addresses;
        try {
            addresses = policy.allowedHosts().contains(host) ? List.of() : resolver.resolve(host);
        } catch (UnknownHostException e) {
            // No answer may be a passing DNS failure as well as a name that does not exist.
            return Optional.of(new FetchOutcome.Retryable("host " + host + " could not be resolved", null));
        }
        return policy.refusalOf(url, addresses).map(FetchOutcome.Failed::new);
    }

    private FetchOutcome answer(HttpResponse<BoundedBody> response) {
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            return new FetchOutcome.Retryable("HTTP " + status,
                    RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock.instant())
                            .orElse(null));
        }
        if (status < 200 || status >= 300) {
            return new FetchOutcome.Failed("HTTP " + status);
        }
        Optional<String> type = mediaType(response.headers());
        if (type.isEmpty() || !HTML_TYPES.contains(type.get())) {
            return new FetchOutcome.Failed("not an HTML page (" + type.orElse("no content type") + ")");
        }
        return new FetchOutcome.Fetched(PageExtractor.extract(response.body().bytes(),
                charset(response.headers()), response.uri()));
    }

    private HttpResponse<BoundedBody> get(URI url) throws InterruptedException, Unanswered {
        HttpRequest request = HttpRequest.newBuilder(url)
                .GET()
                .timeout(settings.readTimeout())
                .header("User-Agent", settings.userAgent())
                .header("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1")
                .build();
        // Only a successful HTML answer's body is worth reading; any other closes the connection unread.
        HttpResponse.BodyHandler<BoundedBody> handler = info -> BoundedBody.subscriber(
                info.statusCode() / 100 == 2 && mediaType(info.headers()).filter(HTML_TYPES::contains).isPresent()
                        ? settings.maxBytes() : 0);
        CompletableFuture<HttpResponse<BoundedBody>> sent = client.sendAsync(request, handler);
        // The request timeout covers the wait for headers only; this bounds a body that trickles in too.
        Duration deadline = settings.connectTimeout().plus(settings.readTimeout());
        try {
            return sent.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true);
            throw new Unanswered(new FetchOutcome.Retryable("timed out after " + seconds(settings.readTimeout()), null));
        } catch (InterruptedException e) {
            sent.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw new Unanswered(outcomeOf(e.getCause()));
        }
    }

    private FetchOutcome outcomeOf(Throwable error) {
        if (error instanceof HttpConnectTimeoutException) {
            return new FetchOutcome.Retryable("connection timed out after " + seconds(settings.connectTimeout()), null);
        }
        if (error instanceof HttpTimeoutException) {
            return new FetchOutcome.Retryable("timed out after " + seconds(settings.readTimeout()), null);
        }
        if (error instanceof ConnectException) {
            return new FetchOutcome.Retryable("connection refused", null);
        }
        if (error instanceof IOException) {
            return new FetchOutcome.Retryable("connection failed: " + error.getClass().getSimpleName(), null);
        }
        if (error instanceof IllegalArgumentException) {
            // A URL java.net.URI accepts but HTTP cannot use (a port out of range, say).
            return new FetchOutcome.Failed("not a valid URL");
        }
        return new FetchOutcome.Failed("request failed: " + error.getClass().getSimpleName());
    }

    private static Optional<String> mediaType(HttpHeaders headers) {
        return headers.firstValue("Content-Type")
                .map(value -> value.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
                .filter(value -> !value.isEmpty());
    }

    private static String charset(HttpHeaders headers) {
        String value = headers.firstValue("Content-Type").orElse("");
        for (String parameter : value.split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) {
                return pair[1].trim().replace("\"", "");
            }
        }
        return null;
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** A request that got no usable answer, carrying what the attempt came to. */
    private static final class Unanswered extends Exception {
        private final transient FetchOutcome outcome;

        Unanswered(FetchOutcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }
}
