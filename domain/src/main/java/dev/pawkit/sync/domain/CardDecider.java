package dev.pawkit.sync.domain;

import dev.pawkit.sync.domain.CardCommand.CreateCard;
import dev.pawkit.sync.domain.CardCommand.ApplyMetadata;
import dev.pawkit.sync.domain.CardCommand.DeleteCard;
import dev.pawkit.sync.domain.CardCommand.RefreshMetadata;
import dev.pawkit.sync.domain.CardCommand.UpdateCard;
import dev.pawkit.sync.domain.CardEvent.CardCreated;
import dev.pawkit.sync.domain.CardEvent.CardDeleted;
import dev.pawkit.sync.domain.CardEvent.CardUpdated;
import dev.pawkit.sync.domain.Decision.Accepted;
import dev.pawkit.sync.domain.Decision.Rejected;
import java.time.Instant;
import java.util.List;

/**
 * The rules of a card, as two pure functions: {@link #decide} turns a command and the current state
 * into events or a rejection, {@link #evolve} folds an event into the state. Time is passed in (the
 * command record's timestamp), so replaying the log gives the same decisions. No card it writes
 * breaks {@link CardRules}, whoever sent the command: such a command is rejected as InvalidCard.
 */
public final class CardDecider {

    private CardDecider() {
    }

    /** As {@link #decide(Card, CardCommand, String, Instant, ChangesAfter)} knowing nothing of the card's history. */
    public static Decision decide(Card current, CardCommand command, String ownerId, Instant at) {
        return decide(current, command, ownerId, at, ChangesAfter.UNKNOWN);
    }

    /**
     * @param current the user's card with that id, or null if they have none
     * @param ownerId the user issuing the command; state is already scoped to them
     * @param history the card's changes after a version, asked only when an update names a
     *     version the card has left (no false conflicts)
     */
    public static Decision decide(Card current, CardCommand command, String ownerId, Instant at,
            ChangesAfter history) {
        // Java 17 has no pattern switch; the interfaces are sealed, so these branches are exhaustive.
        if (command instanceof CreateCard create) {
            return create(current, create, ownerId, at);
        }
        if (command instanceof UpdateCard update) {
            return update(current, update, at, history);
        }
        if (command instanceof RefreshMetadata refresh) {
            return refreshMetadata(current, refresh, at);
        }
        if (command instanceof ApplyMetadata apply) {
            return applyMetadata(current, apply, at);
        }
        if (command instanceof CardCommand.EraseUser) {
            // Not a decision on one card: it always applies, to all of them (the projector's erase).
            throw new IllegalArgumentException("erasing a user is carried out by the projector, not decided per card");
        }
        return delete(current, (DeleteCard) command, at);
    }

    public static Card evolve(Card state, CardEvent event) {
        if (event instanceof CardCreated created) {
            return new Card(created.cardId(), created.ownerId(), created.fields(),
                    created.version(), created.at(), created.at(), false);
        }
        if (event instanceof CardUpdated updated) {
            return new Card(state.id(), state.ownerId(), state.fields().with(updated.changes()),
                    updated.version(), state.createdAt(), updated.at(), false);
        }
        CardDeleted deleted = (CardDeleted) event;
        return new Card(state.id(), state.ownerId(), state.fields(),
                deleted.version(), state.createdAt(), deleted.at(), true);
    }

    /** Folds events in order; null when there are none. */
    public static Card evolveAll(Card state, List<CardEvent> events) {
        Card result = state;
        for (CardEvent event : events) {
            result = evolve(result, event);
        }
        return result;
    }

    private static Decision create(Card current, CreateCard create, String ownerId, Instant at) {
        if (current != null) {
            return new Rejected(new Rejection.CardExists(current));
        }
        String invalid = CardRules.violation(create.fields());
        if (invalid != null) {
            return new Rejected(new Rejection.InvalidCard(invalid));
        }
        CardFields fields = create.fields();
        if (fields.type() == CardType.URL) {
            // Every url card's page is fetched once it exists: the creation is the request.
            fields = fields.withMetadataStatus(MetadataStatus.pending(fields.url(), 1));
        }
        return new Accepted(List.of(new CardCreated(create.cardId(), ownerId, 1, at, fields)));
    }

    private static Decision update(Card current, UpdateCard update, Instant at, ChangesAfter history) {
        Rejection rejection = checkWritable(current, update.cardId(), update.expected());
        if (rejection != null && !onlyTheSystemChangedOtherFields(rejection, current, update, history)) {
            return new Rejected(rejection);
        }
        CardPatch changes = update.patch().changesTo(current.fields());
        if (changes.isEmpty()) {
            // Nothing would change: no event, no new version; the caller gets the card as it is.
            return new Accepted(List.of());
        }
        String invalid = CardRules.violation(current.fields().with(changes));
        if (invalid != null) {
            return new Rejected(new Rejection.InvalidCard(invalid));
        }
        long version = current.version() + 1;
        if (current.fields().type() == CardType.URL && changes.url() instanceof Edit.SetTo<String> newUrl) {
            // Another page: its metadata is fetched again.
            changes = changes.withStatus(MetadataStatus.pending(newUrl.value(), version));
        }
        return new Accepted(List.of(new CardUpdated(current.id(), current.ownerId(), version, at, changes)));
    }

    /**
     * No false conflicts: an update naming a version the card has left is still accepted when
     * every change since that version was the system's (the enricher's page metadata, not the
     * owner on any device) and none of them set a field this update sets. The writer then saw
     * everything it changes as it was; what the system added stays. Any change by the owner, or
     * an overlapping field, keeps the conflict.
     */
    private static boolean onlyTheSystemChangedOtherFields(Rejection rejection, Card current, UpdateCard update,
            ChangesAfter history) {
        if (!(rejection instanceof Rejection.VersionConflict || rejection instanceof Rejection.PreconditionFailed)) {
            return false;
        }
        long named = update.expected().named();
        if (named < 1 || named >= current.version()) {
            return false;
        }
        LaterChanges later = history.after(named);
        return later.bySystemOnly()
                && java.util.Collections.disjoint(later.fields(), update.patch().fieldNames());
    }

    /** A refresh is a new fetch request, at the version it creates; only url cards have a page. */
    private static Decision refreshMetadata(Card current, RefreshMetadata refresh, Instant at) {
        Rejection rejection = checkWritable(current, refresh.cardId(), ExpectedVersion.any());
        if (rejection != null) {
            return new Rejected(rejection);
        }
        if (current.fields().type() != CardType.URL) {
            return new Rejected(new Rejection.InvalidCard("only url cards have page metadata to refresh"));
        }
        long version = current.version() + 1;
        return new Accepted(List.of(new CardUpdated(current.id(), current.ownerId(), version, at,
                CardPatch.fetchRequested(current.fields().url(), version))));
    }

    /**
     * A fetch result applies to the card as it is now (it never conflicts with the user's edits:
     * it touches only metadata), but only if it answers the fetch the card still waits for: a
     * result for an older request, or one already applied, changes nothing. A result outside the
     * card rules is rejected whether or not it is still awaited, so a producer's fault always shows.
     */
    private static Decision applyMetadata(Card current, ApplyMetadata apply, Instant at) {
        Rejection rejection = checkWritable(current, apply.cardId(), ExpectedVersion.any());
        if (rejection != null) {
            return new Rejected(rejection);
        }
        String invalid = CardRules.violation(apply);
        if (invalid != null) {
            return new Rejected(new Rejection.InvalidCard(invalid));
        }
        MetadataStatus status = current.fields().metadata().status();
        if (status == null || !status.awaits(apply.forVersion())) {
            return new Accepted(List.of());
        }
        CardPatch result = apply.page() != null
                ? CardPatch.fetched(apply.page(), status.fetched(apply.fetchedAt()))
                : CardPatch.empty().withStatus(status.failed(apply.failure(), apply.fetchedAt()));
        CardPatch changes = result.changesTo(current.fields());
        return new Accepted(List.of(
                new CardUpdated(current.id(), current.ownerId(), current.version() + 1, at, changes)));
    }

    private static Decision delete(Card current, DeleteCard delete, Instant at) {
        Rejection rejection = checkWritable(current, delete.cardId(), delete.expected());
        if (rejection != null) {
            return new Rejected(rejection);
        }
        return new Accepted(List.of(new CardDeleted(current.id(), current.ownerId(), current.version() + 1, at)));
    }

    /** Existence, then deletion, then version: a deleted card is gone whatever version was expected. */
    private static Rejection checkWritable(Card current, String cardId, ExpectedVersion expected) {
        if (current == null) {
            return new Rejection.NotFound(cardId);
        }
        if (current.deleted()) {
            return new Rejection.Gone(current);
        }
        if (!expected.admits(current.version())) {
            return expected instanceof ExpectedVersion.IfMatch
                    ? new Rejection.PreconditionFailed(current)
                    : new Rejection.VersionConflict(current);
        }
        return null;
    }
}
