package dev.pawkit.sync.enricher.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void aBlockContainsItsAddressesOnly() throws Exception {
        Cidr block = Cidr.parse("172.16.0.0/12");
        assertThat(block.contains(InetAddress.getByName("172.20.1.1"))).isTrue();
        assertThat(block.contains(InetAddress.getByName("172.32.0.1"))).isFalse();
        assertThat(Cidr.parse("fc00::/7").contains(InetAddress.getByName("fdff::1"))).isTrue();
        assertThat(Cidr.parse("fc00::/7").contains(InetAddress.getByName("fe00::1"))).isFalse();
    }

    @Test
    void aBareAddressIsABlockOfOne() throws Exception {
        Cidr one = Cidr.parse("127.0.0.1");
        assertThat(one.prefixLength()).isEqualTo(32);
        assertThat(one.contains(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(one.contains(InetAddress.getByName("127.0.0.2"))).isFalse();
        assertThat(Cidr.parse("::1").prefixLength()).isEqualTo(128);
    }

    @Test
    void anIpv4BlockNeverMatchesAnIpv6Address() throws Exception {
        assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("::1"))).isFalse();
    }

    @Test
    void hostNamesAndNonsenseAreNotBlocks() {
        // Parsing must never resolve a name: these are refused as text.
        assertThat(Cidr.isLiteral("localhost")).isFalse();
        assertThat(Cidr.isLiteral("example.com")).isFalse();
        assertThat(Cidr.isLiteral("999.1.1.1")).isFalse();
        assertThat(Cidr.isLiteral("10.0.0.0/8")).isTrue();
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).isInstanceOf(IllegalArgumentException.class);
    }
}
