package dev.pawkit.sync.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a card's fields may hold (README "Limits"): the limits and checks every card keeps, whoever
 * produced the command. The decider rejects a command whose card would break one
 * ({@link Rejection.InvalidCard}); the HTTP reader checks a request against the same rules before
 * appending (400); the enricher cuts page texts to these limits so its answers keep them.
 * Each check returns the first rule broken, as a reason naming the field, or null when none is.
 * Lengths are counted in Unicode code points, as a user counts characters.
 */
public final class CardRules {

    public static final int MAX_URL = 2048;
    /** The user's title and the page's. */
    public static final int MAX_TITLE = 1000;
    public static final int MAX_NOTES = 100_000;
    public static final int MAX_CONTENT = 500_000;
    public static final int MAX_TAGS = 100;
    public static final int MAX_TAG = 100;
    public static final int MAX_COLLECTIONS = 100;
    public static final int MAX_COLLECTION = 200;
    public static final int MAX_DESCRIPTION = 2000;
    public static final int MAX_SITE_NAME = 1000;
    /** Why a page could not be fetched: shown to users, so short. */
    public static final int MAX_FAILURE_REASON = 500;

    private CardRules() {
    }

    /** The first rule these fields break, or null when they make a valid card. */
    public static String violation(CardFields fields) {
        if (fields.type() == CardType.URL && (fields.url() == null || fields.url().isBlank())) {
            return "a url card needs a url";
        }
        Metadata metadata = fields.metadata();
        return first(
                url("url", fields.url()),
                text("title", fields.title(), MAX_TITLE),
                text("notes", fields.notes(), MAX_NOTES),
                text("content", fields.content(), MAX_CONTENT),
                labels("tags", fields.tags(), MAX_TAGS, MAX_TAG),
                labels("collections", fields.collections(), MAX_COLLECTIONS, MAX_COLLECTION),
                text("metadata.description", metadata.description(), MAX_DESCRIPTION),
                url("metadata.image", metadata.image()),
                text("metadata.title", metadata.title(), MAX_TITLE),
                text("metadata.siteName", metadata.siteName(), MAX_SITE_NAME),
                url("metadata.favicon", metadata.favicon()),
                metadata.status() == null ? null : failureReason(metadata.status().reason()));
    }

    /**
     * The first rule a value this patch sets breaks on its own, or null. What only the card after
     * the patch can tell (a url card keeps a url) is for {@link #violation(CardFields)} on that card.
     */
    public static String violation(CardPatch patch) {
        return first(
                url("url", set(patch.url())),
                text("title", set(patch.title()), MAX_TITLE),
                text("notes", set(patch.notes()), MAX_NOTES),
                text("content", set(patch.content()), MAX_CONTENT),
                patch.tags() instanceof Edit.SetTo<List<String>> tags
                        ? labels("tags", tags.value(), MAX_TAGS, MAX_TAG) : null,
                patch.collections() instanceof Edit.SetTo<List<String>> collections
                        ? labels("collections", collections.value(), MAX_COLLECTIONS, MAX_COLLECTION) : null,
                text("metadata.description", set(patch.metadataDescription()), MAX_DESCRIPTION),
                url("metadata.image", set(patch.metadataImage())),
                text("metadata.title", set(patch.metadataTitle()), MAX_TITLE),
                text("metadata.siteName", set(patch.metadataSiteName()), MAX_SITE_NAME),
                url("metadata.favicon", set(patch.metadataFavicon())),
                patch.metadataStatus() instanceof Edit.SetTo<MetadataStatus> status && status.value() != null
                        ? failureReason(status.value().reason()) : null);
    }

    /** The first rule a fetch result breaks (the page's metadata, or why there is none), or null. */
    public static String violation(CardCommand.ApplyMetadata result) {
        PageMetadata page = result.page();
        if (page == null) {
            return failureReason(result.failure());
        }
        return first(
                text("metadata.title", page.title(), MAX_TITLE),
                text("metadata.description", page.description(), MAX_DESCRIPTION),
                url("metadata.image", page.image()),
                text("metadata.siteName", page.siteName(), MAX_SITE_NAME),
                url("metadata.favicon", page.favicon()));
    }

    private static String failureReason(String reason) {
        return text("metadataStatus.reason", reason, MAX_FAILURE_REASON);
    }

    private static String text(String field, String value, int max) {
        if (value != null && length(value) > max) {
            return field + " is limited to " + max + " characters";
        }
        return null;
    }

    /** An absolute http(s) URL with a host, within the limit; null (absent) is fine. */
    private static String url(String field, String value) {
        if (value == null) {
            return null;
        }
        String tooLong = text(field, value, MAX_URL);
        if (tooLong != null) {
            return tooLong;
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.isAbsolute() && (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return null;
            }
        } catch (URISyntaxException e) {
            // Not a URI at all: the reason below.
        }
        return field + " must be an absolute http(s) URL";
    }

    /** Tags and collections in their normal form: each trimmed and non-empty, none repeated. */
    private static String labels(String field, List<String> values, int maxEntries, int maxLength) {
        if (values.size() > maxEntries) {
            return field + " is limited to " + maxEntries + " entries";
        }
        Set<String> seen = new HashSet<>();
        for (String value : values) {
            String trimmed = value.trim();
            if (trimmed.isEmpty() || length(value) > maxLength) {
                return "each of " + field + " must have 1 to " + maxLength + " characters";
            }
            if (!trimmed.equals(value)) {
                return "each of " + field + " must be trimmed of surrounding whitespace";
            }
            if (!seen.add(value)) {
                return field + " must not repeat an entry: '" + value + "'";
            }
        }
        return null;
    }

    private static int length(String value) {
        return value.codePointCount(0, value.length());
    }

    private static <T> T set(Edit<T> edit) {
        return edit instanceof Edit.SetTo<T> set ? set.value() : null;
    }

    private static String first(String... violations) {
        for (String violation : violations) {
            if (violation != null) {
                return violation;
            }
        }
        return null;
    }
}
