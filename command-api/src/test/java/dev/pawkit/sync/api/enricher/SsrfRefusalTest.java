package dev.pawkit.sync.api.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The SSRF guard with its default policy: nothing but public addresses, checked after DNS and on
 * every redirect hop. Every refusal ends on the card as a failure with its reason, and nothing is
 * ever sent to a refused address (10.x and 169.254.169.254 are refused before any connection).
 */
class SsrfRefusalTest extends EnricherIntegrationTest {

    @Test
    void privateLoopbackAndMetadataAddressesAreRefusedWithTheAllowListOff() throws Exception {
        startEnricher(List.of());
        String user = newUser("ssrf");
        String loopback = createUrlCard(user, site.url("/og"));
        String privateNet = createUrlCard(user, "http://10.0.0.1/admin");
        String metadataService = createUrlCard(user, "http://169.254.169.254/latest/meta-data/iam/");
        String mappedLoopback = createUrlCard(user, "http://[::ffff:127.0.0.1]:" + site.port() + "/og");

        assertRefused(user, loopback, "refused by policy: 127.0.0.1 is a loopback address");
        assertRefused(user, privateNet, "refused by policy: 10.0.0.1 is a private address");
        assertRefused(user, metadataService, "refused by policy: 169.254.169.254 is a cloud metadata service address");
        assertRefused(user, mappedLoopback, "refused by policy: 127.0.0.1 is a loopback address");
        assertThat(site.hits("/og")).as("the local site was never contacted").isZero();
    }

    @Test
    void aRedirectFromAnAllowedHostToLoopbackOrToAFileIsRefused() throws Exception {
        // Only the name "localhost" is allowed: the hop to the address 127.0.0.1 is judged on its own.
        startEnricher(List.of("localhost"));
        String user = newUser("ssrf-redirect");
        String toLoopback = createUrlCard(user, site.urlByName("/to-loopback"));
        String toFile = createUrlCard(user, site.urlByName("/to-file"));

        assertRefused(user, toLoopback, "refused by policy: 127.0.0.1 is a loopback address");
        assertRefused(user, toFile, "refused by policy: only http and https URLs are fetched, not file:");
        assertThat(site.hits("/to-loopback")).isEqualTo(1);
        assertThat(site.hits("/og")).as("the redirect target was never requested").isZero();
    }

    @Test
    void aFileUrlNeverBecomesACard() throws Exception {
        // The API's own check comes first: a url card's url is http(s), so file: only arrives by redirect.
        HttpResponse<String> created = send("POST", "/api/cards", newUser("file"),
                "{\"type\":\"url\",\"url\":\"file:///etc/passwd\"}", Map.of());
        assertThat(created.statusCode()).isEqualTo(400);
    }

    private void assertRefused(String user, String id, String reason) throws Exception {
        JsonNode card = awaitAnswered(user, id);
        assertThat(state(card)).isEqualTo("failed");
        assertThat(reason(card)).isEqualTo(reason);
        assertThat(metadata(card, "title")).isNull();
        assertAnsweredExactlyOnce(user, id);
        assertThat(deadLetters(id)).singleElement()
                .satisfies(letter -> assertThat(letter.reason()).isEqualTo(reason));
    }
}
