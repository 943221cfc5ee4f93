package dev.pawkit.sync.enricher.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;

/**
 * Whether to follow a redirect, and where to. Redirects are followed by hand, one hop at a time,
 * so that every hop goes through the {@link FetchPolicy} again and the chain stays bounded.
 */
public final class RedirectRule {

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    /** The next request of the chain, or why the chain ends without a page. */
    public sealed interface Next {
        record Follow(URI url) implements Next {
        }

        record Stop(String reason) implements Next {
        }
    }

    private final int maxRedirects;

    public RedirectRule(int maxRedirects) {
        this.maxRedirects = maxRedirects;
    }

    public static boolean isRedirect(int status) {
        return REDIRECTS.contains(status);
    }

    /**
     * @param current the URL that answered with a redirect
     * @param location its {@code Location} header, or null
     * @param visited every URL requested so far in this chain, {@code current} included
     */
    public Next next(URI current, int status, String location, List<URI> visited) {
        if (location == null || location.isBlank()) {
            return new Next.Stop("HTTP " + status + " without a Location");
        }
        URI target;
        try {
            target = withoutFragment(current.resolve(new URI(location.trim())));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return new Next.Stop("HTTP " + status + " to an invalid location");
        }
        if (visited.contains(target)) {
            return new Next.Stop("redirect loop");
        }
        if (visited.size() - 1 >= maxRedirects) {
            return new Next.Stop("too many redirects (more than " + maxRedirects + ")");
        }
        return new Next.Follow(target);
    }

    private static URI withoutFragment(URI url) {
        if (url.getRawFragment() == null) {
            return url;
        }
        String text = url.toString();
        return URI.create(text.substring(0, text.indexOf('#')));
    }
}
