package dev.pawkit.sync.enricher.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.enricher.fetch.RedirectRule.Next;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedirectRuleTest {

    private final RedirectRule rule = new RedirectRule(5);

    @Test
    void followsRelativeAndAbsoluteLocationsWithoutTheFragment() {
        URI from = URI.create("https://example.com/a/b?x=1");
        assertThat(rule.next(from, 301, "c", List.of(from)))
                .isEqualTo(new Next.Follow(URI.create("https://example.com/a/c")));
        assertThat(rule.next(from, 302, "/root#part", List.of(from)))
                .isEqualTo(new Next.Follow(URI.create("https://example.com/root")));
        assertThat(rule.next(from, 308, "//cdn.example.net/p", List.of(from)))
                .isEqualTo(new Next.Follow(URI.create("https://cdn.example.net/p")));
        // Where it may go is the policy's call, on the next hop.
        assertThat(rule.next(from, 307, "file:///etc/passwd", List.of(from)))
                .isEqualTo(new Next.Follow(URI.create("file:///etc/passwd")));
    }

    @Test
    void stopsAtALoop() {
        URI a = URI.create("http://example.com/a");
        URI b = URI.create("http://example.com/b");
        assertThat(rule.next(b, 302, "/a", List.of(a, b))).isEqualTo(new Next.Stop("redirect loop"));
    }

    @Test
    void followsFiveRedirectsAndNoMore() {
        List<URI> visited = new ArrayList<>();
        visited.add(URI.create("http://example.com/0"));
        for (int hop = 1; hop <= 5; hop++) {
            Next next = rule.next(visited.get(visited.size() - 1), 302, "/" + hop, visited);
            assertThat(next).as("redirect %d", hop).isInstanceOf(Next.Follow.class);
            visited.add(((Next.Follow) next).url());
        }
        assertThat(rule.next(visited.get(5), 302, "/6", visited))
                .isEqualTo(new Next.Stop("too many redirects (more than 5)"));
    }

    @Test
    void stopsWithoutAUsableLocation() {
        URI from = URI.create("http://example.com/");
        assertThat(rule.next(from, 302, null, List.of(from))).isEqualTo(new Next.Stop("HTTP 302 without a Location"));
        assertThat(rule.next(from, 301, "http://exa mple.com/^", List.of(from)))
                .isEqualTo(new Next.Stop("HTTP 301 to an invalid location"));
        assertThat(RedirectRule.isRedirect(304)).isFalse();
        assertThat(RedirectRule.isRedirect(303)).isTrue();
    }
}
