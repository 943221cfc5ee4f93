package dev.pawkit.sync.domain;

/**
 * What a url card shows of its page, and where fetching it stands; each part may be absent (null).
 * Description and image may also be set by the user; the rest only comes from the page.
 */
public record Metadata(String description, String image, String title, String siteName, String favicon,
        MetadataStatus status) {

    public static final Metadata EMPTY = new Metadata(null, null, null, null, null, null);

    /** Metadata a user sets themselves. */
    public Metadata(String description, String image) {
        this(description, image, null, null, null, null);
    }
}
