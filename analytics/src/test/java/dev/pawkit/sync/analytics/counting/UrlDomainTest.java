package dev.pawkit.sync.analytics.counting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A url's domain: its host, lower-cased, without {@code www.}, whatever else the url carries. */
class UrlDomainTest {

    @ParameterizedTest
    @CsvSource({
            "https://example.com, example.com",
            "https://www.example.com/, example.com",
            "HTTPS://WWW.Example.Com:8443/path?q=1#top, example.com",
            "http://user:secret@news.example.org/a, news.example.org",
            "https://example.com?x=y, example.com",
            "https://example.com#frag, example.com",
            "https://example.com./, example.com",
            "https://www2.example.com, www2.example.com",
            "https://my_host.example, my_host.example",
            "http://[2001:db8::1]:8080/x, [2001:db8::1]"})
    void theDomainOfAUrlIsItsNormalisedHost(String url, String domain) {
        assertThat(UrlDomain.of(url)).isEqualTo(domain);
    }

    @ParameterizedTest
    @CsvSource({"not a url", "https://", "https:///path", "mailto:someone@example.com"})
    void aUrlWithoutHostHasNoDomain(String url) {
        assertThat(UrlDomain.of(url)).isNull();
    }
}
