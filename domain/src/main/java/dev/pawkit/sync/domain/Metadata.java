package dev.pawkit.sync.domain;

/** Page metadata shown on url cards; each part may be absent (null). */
public record Metadata(String description, String image) {

    public static final Metadata EMPTY = new Metadata(null, null);
}
