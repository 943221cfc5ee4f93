package dev.pawkit.sync.analytics.counting;

import java.util.Locale;

/**
 * The domain a url counts under: its host, lower-cased, without a leading {@code www.}, so that
 * {@code https://WWW.Example.com:443/a} and {@code http://example.com} are one domain. Parsed by
 * hand rather than with {@code java.net.URI}, which gives no host for names it finds irregular
 * (underscores, some IDNs) that browsers open anyway.
 */
public final class UrlDomain {

    private UrlDomain() {
    }

    /** The url's domain, or null when it has no host. */
    public static String of(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return null;
        }
        String authority = url.substring(scheme + 3);
        int end = firstOf(authority, "/?#");
        authority = authority.substring(0, end);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        String host;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = close < 0 ? authority : authority.substring(0, close + 1);
        } else {
            int port = authority.indexOf(':');
            host = port < 0 ? authority : authority.substring(0, port);
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            // The fully qualified form of the same name.
            host = host.substring(0, host.length() - 1);
        }
        if (host.startsWith("www.") && host.length() > 4) {
            host = host.substring(4);
        }
        return host.isEmpty() ? null : host;
    }

    private static int firstOf(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }
}
