package dev.pawkit.sync.domain;

import java.time.Instant;

/**
 * Where fetching a url card's page metadata stands. A fetch is requested at a card version (the
 * create, a url change, a refresh); only the result for that request is applied, so a late or
 * repeated result never overwrites a newer request or applies twice.
 *
 * @param url the page to fetch, as the card had it when the fetch was requested
 * @param requestedAt the card version whose event asked for the fetch
 * @param reason why the last fetch failed (FAILED only)
 * @param fetchedAt when the last fetch finished (OK or FAILED)
 */
public record MetadataStatus(State state, String url, long requestedAt, String reason, Instant fetchedAt) {

    public enum State { PENDING, OK, FAILED }

    public static MetadataStatus pending(String url, long requestedAt) {
        return new MetadataStatus(State.PENDING, url, requestedAt, null, null);
    }

    /** Whether a fetch result for the request made at {@code version} is the one this status waits for. */
    public boolean awaits(long version) {
        return state == State.PENDING && requestedAt == version;
    }

    public MetadataStatus fetched(Instant at) {
        return new MetadataStatus(State.OK, url, requestedAt, null, at);
    }

    public MetadataStatus failed(String why, Instant at) {
        return new MetadataStatus(State.FAILED, url, requestedAt, why, at);
    }
}
