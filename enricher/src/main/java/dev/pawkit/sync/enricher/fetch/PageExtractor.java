package dev.pawkit.sync.enricher.fetch;

import dev.pawkit.sync.domain.CardRules;
import dev.pawkit.sync.domain.PageMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Reads what a page says about itself from its HTML: OpenGraph first, then Twitter card, then plain
 * meta tags and {@code <title>}. Texts are whitespace-normalised and cut to the card rules' limits; URLs
 * are resolved against the page's URL (its {@code <base href>} when it has one, as a browser does)
 * and kept only when absolute http(s) and within the URL limit. Pure: bytes in, metadata out.
 */
public final class PageExtractor {

    // The card rules' limits: a page cut to them is never rejected by the decider.
    public static final int MAX_TITLE = CardRules.MAX_TITLE;
    public static final int MAX_DESCRIPTION = CardRules.MAX_DESCRIPTION;
    public static final int MAX_SITE_NAME = CardRules.MAX_SITE_NAME;
    public static final int MAX_URL = CardRules.MAX_URL;

    private PageExtractor() {
    }

    /**
     * @param charset from the Content-Type header, or null to let the parser read the page's own
     *     {@code <meta charset>} (UTF-8 when it has none)
     * @param pageUrl the URL the page was read from, after redirects
     */
    public static PageMetadata extract(byte[] html, String charset, URI pageUrl) {
        String usable = charset != null && isSupported(charset) ? charset : null;
        try {
            return extract(Jsoup.parse(new ByteArrayInputStream(html), usable, pageUrl.toString()), pageUrl);
        } catch (IOException e) {
            // Reading from a byte array cannot fail for I/O reasons.
            throw new UncheckedIOException(e);
        }
    }

    public static PageMetadata extract(Document page, URI pageUrl) {
        Map<String, Element> meta = metaByName(page);
        String title = text(MAX_TITLE,
                content(meta, "og:title"), content(meta, "twitter:title"), page.title(), content(meta, "title"));
        String description = text(MAX_DESCRIPTION,
                content(meta, "og:description"), content(meta, "twitter:description"), content(meta, "description"));
        String siteName = text(MAX_SITE_NAME, content(meta, "og:site_name"), content(meta, "application-name"));
        String image = firstUrl(Stream.concat(
                Stream.of("og:image", "og:image:secure_url", "og:image:url", "twitter:image", "twitter:image:src")
                        .map(meta::get).filter(e -> e != null).map(e -> e.absUrl("content")),
                page.select("link[rel~=(?i)^image_src$][href]").stream().map(e -> e.absUrl("href"))));
        return new PageMetadata(title, description, image, siteName, favicon(page, pageUrl));
    }

    /** The page's declared icon, else the conventional /favicon.ico of its origin. */
    private static String favicon(Document page, URI pageUrl) {
        List<Element> links = page.select("link[rel][href]");
        String declared = firstUrl(Stream.concat(
                links.stream().filter(link -> relTokens(link).contains("icon")),
                links.stream().filter(link -> relTokens(link).stream().anyMatch(t -> t.startsWith("apple-touch-icon"))))
                .map(link -> link.absUrl("href")));
        if (declared != null) {
            return declared;
        }
        try {
            return usableUrl(new URI(pageUrl.getScheme(), pageUrl.getRawAuthority(), "/favicon.ico", null, null)
                    .toString());
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static List<String> relTokens(Element link) {
        return List.of(link.attr("rel").toLowerCase(Locale.ROOT).trim().split("\\s+"));
    }

    /** The first meta element per name, whether named by property, name or itemprop. */
    private static Map<String, Element> metaByName(Document page) {
        Map<String, Element> byName = new HashMap<>();
        for (Element element : page.select("meta[content]")) {
            if (element.attr("content").isBlank()) {
                continue;
            }
            for (String attribute : List.of("property", "name", "itemprop")) {
                String name = element.attr(attribute).trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    byName.putIfAbsent(name, element);
                }
            }
        }
        return byName;
    }

    private static String content(Map<String, Element> meta, String name) {
        Element element = meta.get(name);
        return element == null ? null : element.attr("content");
    }

    /** The first candidate with visible text, normalised and cut to {@code max} characters. */
    private static String text(int max, String... candidates) {
        for (String candidate : candidates) {
            if (candidate == null) {
                continue;
            }
            String normal = candidate.replaceAll("[\\p{Cntrl}\\s\\u00A0\\u2028\\u2029]+", " ").strip();
            if (!normal.isEmpty()) {
                return cut(normal, max);
            }
        }
        return null;
    }

    /** At most {@code max} characters, never splitting a surrogate pair; an ellipsis shows the cut. */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "\u2026";
    }

    private static String firstUrl(Stream<String> candidates) {
        return candidates.map(PageExtractor::usableUrl).filter(url -> url != null).findFirst().orElse(null);
    }

    /** The URL when a card may show it (absolute http(s), within the limit), else null: a cut URL is a wrong URL. */
    private static String usableUrl(String url) {
        if (url == null || url.isBlank() || url.length() > MAX_URL) {
            return null;
        }
        try {
            URI uri = new URI(url.strip());
            String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
            return uri.isAbsolute() && (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    ? uri.toString() : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static boolean isSupported(String charset) {
        try {
            return Charset.isSupported(charset);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
