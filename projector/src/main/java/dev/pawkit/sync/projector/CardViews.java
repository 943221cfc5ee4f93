package dev.pawkit.sync.projector;

import dev.pawkit.sync.domain.Card;
import dev.pawkit.sync.domain.CardDecider;
import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.domain.LaterChanges;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.domain.log.StoredCard;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The read views of a partition's users, as a fold of their card events: the card store (which is
 * also the per-user card index), the change feed with its per-user sequence, and each card's
 * history. The live projector applies every event it appends here, in the same transaction; the
 * rebuild applies the event log here from the start. One code path, so both must agree.
 */
final class CardViews {

    private final KeyValueStore<String, StoredCard> cards;
    private final KeyValueStore<String, String> changes;
    private final KeyValueStore<String, Long> sequences;
    private final KeyValueStore<String, EventEnvelope> history;

    private CardViews(KeyValueStore<String, StoredCard> cards, KeyValueStore<String, String> changes,
            KeyValueStore<String, Long> sequences, KeyValueStore<String, EventEnvelope> history) {
        this.cards = cards;
        this.changes = changes;
        this.sequences = sequences;
        this.history = history;
    }

    static CardViews of(ProcessingContext context) {
        return new CardViews(context.getStateStore(Stores.CARDS), context.getStateStore(Stores.CHANGES),
                context.getStateStore(Stores.USER_SEQUENCE), context.getStateStore(Stores.HISTORY));
    }

    /** The user's card with that id as it stands, tombstones included; null if they have none. */
    StoredCard card(String userId, String cardId) {
        return cards.get(StoreKeys.scoped(userId, cardId));
    }

    /**
     * What the card went through after {@code version} up to {@code current}, read from its
     * history: whether only the system changed it (an actor other than its owner: the enricher
     * acting for them), and which fields those changes set. For the decider's no-false-conflict rule.
     */
    LaterChanges changesAfter(String userId, String cardId, long version, long current) {
        Set<String> fields = new HashSet<>();
        long events = 0;
        try (KeyValueIterator<String, EventEnvelope> later = history.range(
                StoreKeys.history(userId, cardId, version + 1), StoreKeys.history(userId, cardId, current))) {
            while (later.hasNext()) {
                EventEnvelope event = later.next().value;
                events++;
                boolean byOwner = event.actor() == null || event.actor().equals(userId);
                if (byOwner || !(event.event() instanceof CardEvent.CardUpdated updated)) {
                    return LaterChanges.UNKNOWN;
                }
                fields.addAll(updated.changes().fieldNames());
            }
        }
        // Every version accounted for, or it is no evidence that only the system wrote.
        return events == current - version ? new LaterChanges(true, fields) : LaterChanges.UNKNOWN;
    }

    /**
     * Removes every view of the user: their cards, change feed and its sequence, and every card's
     * history. Returns how many cards there were (deleted ones included).
     */
    long erase(String userId) {
        long removed = deleteUser(cards, userId);
        deleteUser(changes, userId);
        deleteUser(history, userId);
        // The feed starts again from 1, as a rebuild of what is left (nothing) would have it.
        sequences.delete(userId);
        return removed;
    }

    /** Deletes every entry of the user in a store keyed by {@link StoreKeys} (one contiguous range). */
    static long deleteUser(KeyValueStore<String, ?> store, String userId) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, ?> entries = store.prefixScan(StoreKeys.userPrefix(userId), new StringSerializer())) {
            // Keys only are needed; collected first so that no delete runs under an open iterator.
            entries.forEachRemaining(entry -> keys.add(entry.key));
        }
        keys.forEach(store::delete);
        return keys.size();
    }

    /** Folds one event into every view; returns the card after it, as stored. */
    StoredCard apply(EventEnvelope event) {
        String user = event.ownerId();
        String cardKey = StoreKeys.scoped(user, event.cardId());
        StoredCard stored = cards.get(cardKey);
        Card after = CardDecider.evolve(stored == null ? null : stored.card(), event.event());
        StoredCard view = new StoredCard(after, moveToFeedHead(user, event.cardId(), stored));
        cards.put(cardKey, view);
        history.put(StoreKeys.history(user, event.cardId(), event.version()), event);
        return view;
    }

    /** Gives the card the user's next change sequence number, dropping its previous feed entry. */
    private long moveToFeedHead(String user, String cardId, StoredCard previous) {
        if (previous != null && previous.changeSeq() > 0) {
            changes.delete(StoreKeys.changeSeq(user, previous.changeSeq()));
        }
        Long last = sequences.get(user);
        long next = (last == null ? 0 : last) + 1;
        sequences.put(user, next);
        changes.put(StoreKeys.changeSeq(user, next), cardId);
        return next;
    }
}
