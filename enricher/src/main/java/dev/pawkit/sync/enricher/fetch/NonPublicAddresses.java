package dev.pawkit.sync.enricher.fetch;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses are not the public internet, and what they are: the ranges a fetch on a user's
 * behalf must never reach (the host itself, the internal network, a cloud metadata service).
 * IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by the IPv4
 * address inside, so {@code ::ffff:127.0.0.1} is loopback too.
 */
public final class NonPublicAddresses {

    private record Range(Cidr block, String kind) {
        Range(String block, String kind) {
            this(Cidr.parse(block), kind);
        }
    }

    // The order matters: the first match names the kind (the metadata service before link-local).
    private static final List<Range> IPV4 = List.of(
            new Range("0.0.0.0/8", "unspecified"),
            new Range("127.0.0.0/8", "loopback"),
            new Range("10.0.0.0/8", "private"),
            new Range("172.16.0.0/12", "private"),
            new Range("192.168.0.0/16", "private"),
            new Range("169.254.169.254/32", "cloud metadata service"),
            new Range("169.254.0.0/16", "link-local"),
            new Range("100.64.0.0/10", "carrier-grade NAT"),
            new Range("192.0.0.0/24", "reserved"),
            new Range("192.0.2.0/24", "documentation"),
            new Range("198.51.100.0/24", "documentation"),
            new Range("203.0.113.0/24", "documentation"),
            new Range("198.18.0.0/15", "benchmarking"),
            new Range("224.0.0.0/4", "multicast"),
            new Range("240.0.0.0/4", "reserved"));

    private static final List<Range> IPV6 = List.of(
            new Range("::/128", "unspecified"),
            new Range("::1/128", "loopback"),
            new Range("fe80::/10", "link-local"),
            new Range("fec0::/10", "site-local"),
            new Range("fc00::/7", "unique-local"),
            new Range("ff00::/8", "multicast"),
            new Range("2001:db8::/32", "documentation"),
            new Range("100::/64", "discard-only"),
            new Range("64:ff9b:1::/48", "local NAT64"),
            // Teredo hides the client's IPv4 address; nothing a bookmark needs goes through it.
            new Range("2001::/32", "Teredo tunnel"));

    private static final Cidr MAPPED = Cidr.parse("::ffff:0:0/96");
    private static final Cidr COMPATIBLE = Cidr.parse("::/96");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private NonPublicAddresses() {
    }

    /** What kind of non-public address this is ("loopback", "private", ...), or empty for a public one. */
    public static Optional<String> kindOf(InetAddress address) {
        return kindOf(address.getAddress());
    }

    public static Optional<String> kindOf(byte[] address) {
        if (address.length == 4) {
            return first(IPV4, address);
        }
        Optional<String> own = first(IPV6, address);
        if (own.isPresent()) {
            return own;
        }
        if (MAPPED.contains(address)) {
            return embedded(address, 12, "IPv4-mapped");
        }
        if (COMPATIBLE.contains(address)) {
            return embedded(address, 12, "IPv4-compatible");
        }
        if (NAT64.contains(address)) {
            return embedded(address, 12, "NAT64");
        }
        if (SIX_TO_FOUR.contains(address)) {
            return embedded(address, 2, "6to4");
        }
        return Optional.empty();
    }

    private static Optional<String> embedded(byte[] address, int from, String form) {
        byte[] ipv4 = Arrays.copyOfRange(address, from, from + 4);
        return first(IPV4, ipv4).map(kind -> kind + " (" + form + ")");
    }

    private static Optional<String> first(List<Range> ranges, byte[] address) {
        return ranges.stream().filter(range -> range.block().contains(address)).map(Range::kind).findFirst();
    }
}
