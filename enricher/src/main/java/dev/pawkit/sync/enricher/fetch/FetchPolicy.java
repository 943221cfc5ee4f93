package dev.pawkit.sync.enricher.fetch;

import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which URLs the enricher may fetch on a user's behalf (SSRF guard). Checked on the card's URL and
 * again on every redirect hop, first on the URL itself, then on every address its host resolves
 * to: a name pointing into the internal network is refused like the address itself.
 *
 * <p>The allow-list (host names, IP addresses or CIDR blocks) exempts its entries from the address
 * and port rules, so tests and a local setup can fetch 127.0.0.1; it is empty by default. A host
 * name entry allows that name whatever it resolves to; a redirect to another name or address is
 * judged on its own.
 *
 * @param allowedHosts lower-case host names that may be fetched whatever they resolve to
 * @param allowedBlocks addresses that may be fetched although not public
 * @param defaultPortsOnly refuse any port but 80 for http and 443 for https (allow-listed entries excepted)
 */
public record FetchPolicy(Set<String> allowedHosts, List<Cidr> allowedBlocks, boolean defaultPortsOnly) {

    public FetchPolicy {
        allowedHosts = Set.copyOf(allowedHosts);
        allowedBlocks = List.copyOf(allowedBlocks);
    }

    /** The default: public addresses only, any port. */
    public static FetchPolicy publicOnly() {
        return new FetchPolicy(Set.of(), List.of(), false);
    }

    /** @param allowList host names, IP addresses or CIDR blocks ({@code 127.0.0.1}, {@code 10.0.0.0/8}, {@code localhost}) */
    public static FetchPolicy of(List<String> allowList, boolean defaultPortsOnly) {
        Set<String> hosts = new TreeSet<>();
        List<Cidr> blocks = new ArrayList<>();
        for (String entry : allowList) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (Cidr.isLiteral(trimmed)) {
                blocks.add(Cidr.parse(trimmed));
            } else {
                hosts.add(normalHost(trimmed));
            }
        }
        return new FetchPolicy(hosts, blocks, defaultPortsOnly);
    }

    /** Why this URL may not be fetched, judged on its text alone; empty when it may be, pending its addresses. */
    public Optional<String> refusalOf(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return refused("only http and https URLs are fetched, not " + (scheme.isEmpty() ? "a relative URL" : scheme + ":"));
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            return refused("the URL has no host");
        }
        if (url.getRawUserInfo() != null) {
            // user:password@host is a classic way to make a URL read as another host; no bookmark needs it.
            return refused("URLs with credentials are not fetched");
        }
        return Optional.empty();
    }

    /**
     * Why this URL may not be fetched given what its host resolved to; empty when it may be. Every
     * address must pass: the client may connect to any of them.
     */
    public Optional<String> refusalOf(URI url, List<InetAddress> resolved) {
        Optional<String> byText = refusalOf(url);
        if (byText.isPresent()) {
            return byText;
        }
        String host = normalHost(url.getHost());
        if (allowedHosts.contains(host)) {
            return Optional.empty();
        }
        if (resolved.isEmpty()) {
            return refused(host + " does not resolve");
        }
        boolean allAllowListed = true;
        for (InetAddress address : resolved) {
            if (allowedBlocks.stream().anyMatch(block -> block.contains(address))) {
                continue;
            }
            allAllowListed = false;
            Optional<String> kind = NonPublicAddresses.kindOf(address);
            if (kind.isPresent()) {
                String ip = address.getHostAddress();
                String subject = Cidr.isLiteral(host) ? ip : host + " resolves to " + ip + ", which";
                return refused(subject + " is " + withArticle(kind.get()) + " address");
            }
        }
        if (defaultPortsOnly && !allAllowListed && url.getPort() != -1 && url.getPort() != defaultPort(url)) {
            return refused("port " + url.getPort() + " is not the default port of " + url.getScheme().toLowerCase(Locale.ROOT));
        }
        return Optional.empty();
    }

    /** The host as DNS sees it: lower case, without IPv6 brackets or a trailing dot. */
    static String normalHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static int defaultPort(URI url) {
        return url.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static Optional<String> refused(String why) {
        return Optional.of("refused by policy: " + why);
    }

    private static String withArticle(String kind) {
        return ("aeiouAEIOU".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind;
    }
}
