package dev.pawkit.sync.enricher.fetch;

import java.time.Duration;

/**
 * The bounds of the work spent on one page.
 *
 * @param connectTimeout to open a connection
 * @param readTimeout from sending a request to having its (bounded) body, per request of a redirect chain
 * @param maxBytes body bytes read at most; the rest is never read and the page is parsed as far as it got
 * @param maxRedirects redirects followed at most in one attempt
 * @param retries further attempts after a transient failure (so {@code retries + 1} attempts at most)
 * @param backoffBase first retry's backoff ceiling; doubles per retry up to {@code backoffMax}
 * @param retryAfterCap the longest {@code Retry-After} honoured; a server asking for more is given up on
 */
public record FetchSettings(Duration connectTimeout, Duration readTimeout, long maxBytes, int maxRedirects,
        int retries, Duration backoffBase, Duration backoffMax, Duration retryAfterCap, String userAgent) {

    public static final String USER_AGENT = "PawkitBot/1.0 (bookmark previews)";
}
