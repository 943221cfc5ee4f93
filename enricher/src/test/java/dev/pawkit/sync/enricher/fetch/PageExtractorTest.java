package dev.pawkit.sync.enricher.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.CardCommand.ApplyMetadata;
import dev.pawkit.sync.domain.CardRules;
import dev.pawkit.sync.domain.PageMetadata;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PageExtractorTest {

    private static final URI PAGE = URI.create("https://news.example.com/2025/story.html?ref=x");

    private static PageMetadata extract(String html) {
        return PageExtractor.extract(html.getBytes(StandardCharsets.UTF_8), "utf-8", PAGE);
    }

    @Test
    void openGraphComesFirst() {
        PageMetadata page = extract("""
                <html><head>
                  <title>Plain title</title>
                  <meta name="description" content="plain description">
                  <meta name="twitter:title" content="Twitter title">
                  <meta property="og:title" content="  OG   title ">
                  <meta property="og:description" content="OG description">
                  <meta property="og:image" content="/img/cover.png">
                  <meta property="og:site_name" content="Example News">
                  <link rel="icon" href="../favicon-32.png">
                </head><body>x</body></html>""");
        assertThat(page).isEqualTo(new PageMetadata("OG title", "OG description",
                "https://news.example.com/img/cover.png", "Example News",
                "https://news.example.com/favicon-32.png"));
    }

    @Test
    void twitterCardThenPlainMetaThenTitle() {
        PageMetadata twitter = extract("""
                <head><title>Plain</title><meta name="twitter:title" content="Tw">
                <meta name="twitter:description" content="Tw description">
                <meta name="twitter:image" content="https://cdn.example.net/t.jpg"></head>""");
        assertThat(twitter.title()).isEqualTo("Tw");
        assertThat(twitter.description()).isEqualTo("Tw description");
        assertThat(twitter.image()).isEqualTo("https://cdn.example.net/t.jpg");

        PageMetadata plain = extract("<head><title>\n  Only a\ttitle \n</title>"
                + "<META NAME=\"Description\" CONTENT=\"said plainly\"></head>");
        assertThat(plain).isEqualTo(new PageMetadata("Only a title", "said plainly", null, null,
                "https://news.example.com/favicon.ico"));
    }

    @Test
    void emptyTagsFallThroughToTheNextSource() {
        PageMetadata page = extract("<head><meta property=og:title content='   '><title>Real</title></head>");
        assertThat(page.title()).isEqualTo("Real");
    }

    @Test
    void urlsResolveAgainstTheBaseAndOnlyHttpSurvives() {
        PageMetadata page = extract("""
                <head><base href="https://static.example.org/assets/">
                <meta property="og:image" content="javascript:alert(1)">
                <meta property="og:image:secure_url" content="cover.webp">
                <link rel="shortcut icon" href="data:image/png;base64,AAAA">
                <link rel="apple-touch-icon" href="touch.png"></head>""");
        assertThat(page.image()).isEqualTo("https://static.example.org/assets/cover.webp");
        assertThat(page.favicon()).isEqualTo("https://static.example.org/assets/touch.png");
    }

    @Test
    void textsAreCutToTheApiLimitsAndOverlongUrlsDropped() {
        String longTitle = "t".repeat(1500);
        String longDescription = "d ".repeat(3000);
        String longImage = "https://example.com/" + "i".repeat(2100);
        PageMetadata page = extract("<head><title>" + longTitle + "</title><meta name=description content='"
                + longDescription + "'><meta property=og:image content='" + longImage + "'></head>");
        assertThat(page.title()).hasSize(PageExtractor.MAX_TITLE).endsWith("\u2026");
        assertThat(page.description()).hasSizeLessThanOrEqualTo(PageExtractor.MAX_DESCRIPTION);
        assertThat(page.image()).isNull();
    }

    @Test
    void whatIsExtractedFromAnOverlongPageKeepsTheCardRules() {
        // The decider rejects a page outside the card rules, so the extractor's cuts must land inside them.
        String site = "https://example.com/";
        String imageAtLimit = site + "i".repeat(CardRules.MAX_URL - site.length());
        PageMetadata page = extract("<head><title>" + "\uD83D\uDE00".repeat(1500) + "</title>"
                + "<meta name=description content='" + "d".repeat(5000) + "'>"
                + "<meta property=og:site_name content='" + "s".repeat(5000) + "'>"
                + "<meta property=og:image content='" + imageAtLimit + "'>"
                + "<link rel=icon href='" + site + "f".repeat(5000) + "'></head>");

        assertThat(page.image()).isEqualTo(imageAtLimit);
        assertThat(CardRules.violation(new ApplyMetadata("c1", 1, page, null, Instant.EPOCH))).isNull();
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String cut = PageExtractor.cut("ab\uD83D\uDE00cd", 4);
        assertThat(cut).isEqualTo("ab\u2026");
    }

    @Test
    void theCharsetComesFromTheHeaderOrThePage() {
        byte[] latin1 = "<head><meta charset=iso-8859-1><title>Caf\u00e9</title></head>"
                .getBytes(Charset.forName("ISO-8859-1"));
        assertThat(PageExtractor.extract(latin1, null, PAGE).title()).isEqualTo("Caf\u00e9");
        assertThat(PageExtractor.extract(latin1, "not-a-charset", PAGE).title()).isEqualTo("Caf\u00e9");
    }

    @Test
    void aPageWithNothingToSayStillHasItsDefaultFavicon() {
        assertThat(extract("<p>hello")).isEqualTo(new PageMetadata(null, null, null, null,
                "https://news.example.com/favicon.ico"));
    }
}
