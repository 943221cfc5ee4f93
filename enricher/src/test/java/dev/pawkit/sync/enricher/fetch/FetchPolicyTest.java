package dev.pawkit.sync.enricher.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SSRF guard, given what a host resolved to: no DNS, no network. */
class FetchPolicyTest {

    private static final FetchPolicy DEFAULT = FetchPolicy.publicOnly();

    @Test
    void onlyHttpAndHttpsWithAHostAndNoCredentials() {
        assertThat(DEFAULT.refusalOf(URI.create("file:///etc/passwd")))
                .contains("refused by policy: only http and https URLs are fetched, not file:");
        assertThat(DEFAULT.refusalOf(URI.create("gopher://example.com/"))).get().asString().contains("gopher:");
        assertThat(DEFAULT.refusalOf(URI.create("/relative"))).get().asString().contains("relative URL");
        assertThat(DEFAULT.refusalOf(URI.create("http://user:pw@example.com/"))).get().asString()
                .contains("credentials");
        assertThat(DEFAULT.refusalOf(URI.create("https://example.com/a"))).isEmpty();
    }

    @Test
    void refusesLiteralAddressesOutsideThePublicInternet() throws Exception {
        assertThat(refusal(DEFAULT, "http://127.0.0.1:8080/", "127.0.0.1"))
                .isEqualTo("refused by policy: 127.0.0.1 is a loopback address");
        assertThat(refusal(DEFAULT, "http://10.0.0.5/", "10.0.0.5"))
                .isEqualTo("refused by policy: 10.0.0.5 is a private address");
        assertThat(refusal(DEFAULT, "http://169.254.169.254/latest/meta-data/", "169.254.169.254"))
                .isEqualTo("refused by policy: 169.254.169.254 is a cloud metadata service address");
        assertThat(refusal(DEFAULT, "http://[::1]/", "::1")).contains("loopback");
        assertThat(refusal(DEFAULT, "http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1")).contains("loopback");
        assertThat(refusal(DEFAULT, "http://0.0.0.0/", "0.0.0.0")).contains("an unspecified address");
    }

    @Test
    void judgesANameByEveryAddressItResolvesTo() throws Exception {
        URI url = URI.create("http://intranet.example.com/");
        assertThat(DEFAULT.refusalOf(url, addresses("93.184.215.14", "10.1.1.1")))
                .contains("refused by policy: intranet.example.com resolves to 10.1.1.1, which is a private address");
        assertThat(DEFAULT.refusalOf(url, addresses("93.184.215.14"))).isEmpty();
        assertThat(DEFAULT.refusalOf(url, List.of())).get().asString().contains("does not resolve");
    }

    @Test
    void theAllowListLetsLocalAddressesThroughByBlockOrByName() throws Exception {
        FetchPolicy byBlock = FetchPolicy.of(List.of("127.0.0.0/8", " "), false);
        assertThat(refusal(byBlock, "http://127.0.0.1:8080/", "127.0.0.1")).isNull();
        assertThat(refusal(byBlock, "http://10.0.0.1/", "10.0.0.1")).contains("private");

        FetchPolicy byName = FetchPolicy.of(List.of("LocalHost"), false);
        assertThat(byName.refusalOf(URI.create("http://localhost:8080/"), addresses("127.0.0.1"))).isEmpty();
        // The name is allowed, not the address: a redirect to 127.0.0.1 itself is judged on its own.
        assertThat(refusal(byName, "http://127.0.0.1:8080/", "127.0.0.1")).contains("loopback");
    }

    @Test
    void nonDefaultPortsAreRefusedOnlyWhenConfigured() throws Exception {
        FetchPolicy strictPorts = FetchPolicy.of(List.of("127.0.0.1"), true);
        assertThat(strictPorts.refusalOf(URI.create("http://example.com:8080/"), addresses("93.184.215.14")))
                .contains("refused by policy: port 8080 is not the default port of http");
        assertThat(strictPorts.refusalOf(URI.create("https://example.com:443/"), addresses("93.184.215.14")))
                .isEmpty();
        assertThat(strictPorts.refusalOf(URI.create("https://example.com/"), addresses("93.184.215.14"))).isEmpty();
        assertThat(refusal(strictPorts, "http://127.0.0.1:8080/", "127.0.0.1")).as("allow-listed").isNull();
        assertThat(DEFAULT.refusalOf(URI.create("http://example.com:8080/"), addresses("93.184.215.14"))).isEmpty();
    }

    private static String refusal(FetchPolicy policy, String url, String address) throws Exception {
        return policy.refusalOf(URI.create(url), addresses(address)).orElse(null);
    }

    private static List<InetAddress> addresses(String... literals) throws Exception {
        List<InetAddress> resolved = new java.util.ArrayList<>();
        for (String literal : literals) {
            resolved.add(InetAddress.getByName(literal));
        }
        return resolved;
    }
}
