package dev.pawkit.sync.enricher.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Address classification, on literals only (no DNS, no network). */
class NonPublicAddressesTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "127.0.0.1, loopback",
            "127.255.1.2, loopback",
            "10.1.2.3, private",
            "172.16.0.1, private",
            "172.31.255.254, private",
            "192.168.1.1, private",
            "169.254.169.254, cloud metadata service",
            "169.254.10.1, link-local",
            "100.64.0.1, carrier-grade NAT",
            "100.127.255.254, carrier-grade NAT",
            "0.0.0.0, unspecified",
            "224.0.0.251, multicast",
            "255.255.255.255, reserved",
            "198.18.0.1, benchmarking",
            "::, unspecified",
            "::1, loopback",
            "fe80::1, link-local",
            "fc00::1, unique-local",
            "fd12:3456::1, unique-local",
            "fd00:ec2::254, unique-local",
            "ff02::1, multicast",
            "::ffff:127.0.0.1, loopback",
            "::ffff:10.0.0.1, private",
            "::ffff:169.254.169.254, cloud metadata service",
            "::127.0.0.1, loopback (IPv4-compatible)",
            "64:ff9b::a00:1, private (NAT64)",
            "2002:7f00:1::, loopback (6to4)",
            "2002:a9fe:a9fe::1, cloud metadata service (6to4)"})
    void nonPublicAddressesAreNamed(String address, String kind) throws Exception {
        assertThat(NonPublicAddresses.kindOf(InetAddress.getByName(address))).contains(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "172.32.0.1", "172.15.255.255", "100.128.0.1",
            "169.253.255.255", "11.0.0.1", "2606:4700::6810:84e5", "::ffff:93.184.215.14", "2002:5db8:d70e::1",
            "64:ff9b::5db8:d70e"})
    void publicAddressesPass(String address) throws Exception {
        assertThat(NonPublicAddresses.kindOf(InetAddress.getByName(address))).isEmpty();
    }
}
