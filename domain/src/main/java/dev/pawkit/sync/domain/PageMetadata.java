package dev.pawkit.sync.domain;

/** What a fetched page says about itself; each part may be absent (null). */
public record PageMetadata(String title, String description, String image, String siteName, String favicon) {
}
