package dev.pawkit.sync.enricher;

import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.domain.CardEvent.CardCreated;
import dev.pawkit.sync.domain.CardEvent.CardUpdated;
import dev.pawkit.sync.domain.Edit;
import dev.pawkit.sync.domain.MetadataStatus;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * A card's request for its page, as one of its events made it: the creation of a url card, a url
 * change or a refresh each leave the card waiting for a fetch at that event's version.
 *
 * @param forVersion the version of the event that asked; the answer names it, so only that request is answered
 */
public record FetchRequest(String userId, String cardId, long forVersion, String url) {

    /** The fetch this event asks for, if it asks for one. */
    public static Optional<FetchRequest> of(CardEvent event) {
        MetadataStatus status = null;
        if (event instanceof CardCreated created) {
            status = created.fields().metadata().status();
        } else if (event instanceof CardUpdated updated
                && updated.changes().metadataStatus() instanceof Edit.SetTo<MetadataStatus> set) {
            status = set.value();
        }
        // An answer is also a status change (to OK or FAILED): only a request made by this very event counts.
        if (status == null || !status.awaits(event.version()) || status.url() == null) {
            return Optional.empty();
        }
        return Optional.of(new FetchRequest(event.ownerId(), event.cardId(), event.version(), status.url()));
    }

    /**
     * The server the page is asked from, as {@code host:port} (the scheme's port when none is
     * given): the unit of the per-host limit and circuit breaker. A URL without one is "" (it
     * fails at once, without asking anyone).
     */
    public String host() {
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null) {
                return "";
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
        } catch (URISyntaxException e) {
            return "";
        }
    }

    /**
     * The idempotency key of the answer: one per request, so a second answer to the same request
     * (after a crash, a rebalance) is a replay for the projector, never a second change.
     */
    public String idempotencyKey() {
        return "metadata:" + cardId + ":" + forVersion;
    }
}
