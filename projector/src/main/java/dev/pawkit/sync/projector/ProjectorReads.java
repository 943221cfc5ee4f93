package dev.pawkit.sync.projector;

import dev.pawkit.sync.domain.Card;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.domain.log.OutcomeEnvelope;
import dev.pawkit.sync.domain.log.StoredCard;
import dev.pawkit.sync.infra.OwnerPartitioner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries over the projector's stores. A user's data lives in one partition; reads go
 * to that partition's active store only (never a standby), which is the same store the write path
 * updated before its outcome was sent, so a client that saw version N reads N or later.
 */
public final class ProjectorReads {

    /** Where a user's data is served: here, or by the instance at {@code host}. */
    public record Owner(boolean local, HostInfo host) {
    }

    public record CardPage(List<Card> items, String lastId, boolean hasMore) {
    }

    /**
     * @param lastSeq the position after the page's last change: the cursor to continue from
     * @param headSeq the user's latest change: a cursor beyond it was never handed out
     */
    public record ChangePage(List<Card> items, long lastSeq, boolean hasMore, long headSeq) {
    }

    /** The store is not queryable here right now (rebalancing, restoring, or not started). */
    public static final class NotQueryableException extends RuntimeException {
        public NotQueryableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final KafkaStreams streams;
    private final int partitions;
    private final HostInfo self;

    ProjectorReads(KafkaStreams streams, int partitions, String applicationServer) {
        this.streams = streams;
        this.partitions = partitions;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
    }

    public int partitionOf(String userId) {
        return OwnerPartitioner.partitionFor(userId, partitions);
    }

    public Owner ownerOf(String userId) {
        KeyQueryMetadata metadata = streams.queryMetadataForKey(Stores.CARDS, userId,
                (topic, key, value, n) -> Optional.of(java.util.Set.of(OwnerPartitioner.partitionFor(key, n))));
        if (metadata == null || metadata.activeHost() == null || metadata.activeHost().port() < 0) {
            throw new NotQueryableException("no active owner for partition " + partitionOf(userId), null);
        }
        return new Owner(metadata.activeHost().equals(self), metadata.activeHost());
    }

    /** The user's card with that id as it stands, tombstones included. */
    public Optional<Card> card(String userId, String cardId) {
        return queried(() -> {
            ReadOnlyKeyValueStore<String, StoredCard> cards = store(Stores.CARDS, userId);
            return Optional.ofNullable(cards.get(StoreKeys.scoped(userId, cardId))).map(StoredCard::card);
        });
    }

    public Optional<OutcomeEnvelope> outcome(String userId, String commandId) {
        return queried(() -> {
            ReadOnlyKeyValueStore<String, OutcomeEnvelope> outcomes = store(Stores.OUTCOMES, userId);
            return Optional.ofNullable(outcomes.get(StoreKeys.scoped(userId, commandId)));
        });
    }

    /** The user's live cards in id order, after {@code afterId} (exclusive) when given. */
    public CardPage liveCards(String userId, String afterId, int limit) {
        return queried(() -> scanLiveCards(userId, afterId, limit));
    }

    /** Cards whose latest change came after {@code sinceSeq}, in the order those changes were applied. */
    public ChangePage changesSince(String userId, long sinceSeq, int limit) {
        return queried(() -> scanChanges(userId, sinceSeq, limit));
    }

    /** Every event of the user's card, in version order; empty if they never had that card. */
    public List<EventEnvelope> history(String userId, String cardId) {
        return queried(() -> {
            ReadOnlyKeyValueStore<String, EventEnvelope> history = store(Stores.HISTORY, userId);
            String prefix = StoreKeys.historyPrefix(userId, cardId);
            List<EventEnvelope> events = new ArrayList<>();
            try (KeyValueIterator<String, EventEnvelope> it = history.prefixScan(prefix, new StringSerializer())) {
                it.forEachRemaining(entry -> events.add(entry.value));
            }
            return events;
        });
    }

    private CardPage scanLiveCards(String userId, String afterId, int limit) {
        ReadOnlyKeyValueStore<String, StoredCard> cards = store(Stores.CARDS, userId);
        String prefix = StoreKeys.userPrefix(userId);
        String from = afterId == null ? prefix : StoreKeys.scoped(userId, afterId + "\u0000");
        List<Card> items = new ArrayList<>();
        boolean hasMore = false;
        try (KeyValueIterator<String, StoredCard> it = cards.range(from, prefix + "\uffff")) {
            while (it.hasNext()) {
                Card card = it.next().value.card();
                if (card.deleted()) {
                    continue;
                }
                if (items.size() == limit) {
                    hasMore = true;
                    break;
                }
                items.add(card);
            }
        }
        String lastId = items.isEmpty() ? afterId : items.get(items.size() - 1).id();
        return new CardPage(items, lastId, hasMore);
    }

    private ChangePage scanChanges(String userId, long sinceSeq, int limit) {
        ReadOnlyKeyValueStore<String, String> changes = store(Stores.CHANGES, userId);
        ReadOnlyKeyValueStore<String, StoredCard> cards = store(Stores.CARDS, userId);
        ReadOnlyKeyValueStore<String, Long> sequences = store(Stores.USER_SEQUENCE, userId);
        // Read before the scan: a change made during it is then either in the page or after the head.
        Long head = sequences.get(userId);
        List<Card> items = new ArrayList<>();
        long lastSeq = sinceSeq;
        boolean hasMore = false;
        try (KeyValueIterator<String, String> it = changes.range(
                StoreKeys.changeSeq(userId, sinceSeq + 1), StoreKeys.changeSeq(userId, Long.MAX_VALUE))) {
            while (it.hasNext()) {
                KeyValue<String, String> change = it.next();
                if (items.size() == limit) {
                    hasMore = true;
                    break;
                }
                StoredCard card = cards.get(StoreKeys.scoped(userId, change.value));
                if (card != null) {
                    items.add(card.card());
                }
                lastSeq = StoreKeys.seqOf(userId, change.key);
            }
        }
        return new ChangePage(items, lastSeq, hasMore, head == null ? 0 : head);
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String storeName, String userId) {
        return streams.store(StoreQueryParameters
                .<ReadOnlyKeyValueStore<String, V>>fromNameAndType(storeName, QueryableStoreTypes.keyValueStore())
                .withPartition(partitionOf(userId)));
    }

    /** A store can stop being queryable between lookup and read (rebalance): that is a retryable 503. */
    private static <T> T queried(java.util.function.Supplier<T> query) {
        try {
            return query.get();
        } catch (InvalidStateStoreException e) {
            throw new NotQueryableException("stores are not queryable here now: " + e.getMessage(), e);
        }
    }
}
