package dev.pawkit.sync.enricher.fetch;

import java.net.URI;

/** One attempt at a page, redirects included; a seam so the retry rules are tested without a network. */
@FunctionalInterface
public interface PageSource {

    FetchOutcome fetchOnce(URI url) throws InterruptedException;
}
