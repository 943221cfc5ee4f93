package dev.pawkit.sync.analytics;

import dev.pawkit.sync.infra.OwnerPartitioner;
import dev.pawkit.sync.schemas.sealing.KeysUnavailableException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries over the analytics stores. A user's numbers live in the task of the user's
 * event partition; the global numbers in the one task of the global partition. Either may be on
 * another instance: {@link #ownerOfUser} and {@link #ownerOfGlobal} say which.
 */
public final class AnalyticsReads {

    /** Where a store partition is served: here, or by the instance at {@code host}. */
    public record Owner(boolean local, HostInfo host) {
    }

    /** The analytics stores are not queryable here right now (starting, rebalancing, restoring, resetting). */
    public static final class NotQueryableException extends RuntimeException {
        public NotQueryableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final KafkaStreams streams;
    private final AnalyticsSealing sealing;
    private final int partitions;
    private final HostInfo self;

    AnalyticsReads(KafkaStreams streams, AnalyticsSealing sealing, int partitions, String applicationServer) {
        this.streams = streams;
        this.sealing = sealing;
        this.partitions = partitions;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
    }

    /** The user's event partition, where the projector writes their events. */
    public int partitionOf(String userId) {
        return OwnerPartitioner.partitionFor(userId, partitions);
    }

    public Owner ownerOfUser(String userId) {
        return owner(AnalyticsStores.USER_STATS, userId, partitionOf(userId));
    }

    public Owner ownerOfGlobal() {
        return owner(AnalyticsStores.GLOBAL_STATS, AnalyticsTopology.GLOBAL_KEY, 0);
    }

    /** The user's numbers; none (empty lists) for a user never counted or whose keys were destroyed. */
    public Stats user(String userId, LocalDate since, int top) {
        return queried(() -> StatsQuery.user(this.<byte[]>store(AnalyticsStores.USER_STATS, partitionOf(userId)),
                sealing, userId, since, top));
    }

    /** Everyone's days and domains; never tags, which are only ever counted per user. */
    public Stats global(LocalDate since, int top) {
        return queried(() -> StatsQuery.global(this.<Long>store(AnalyticsStores.GLOBAL_STATS, 0), since, top));
    }

    private Owner owner(String store, String key, int partition) {
        KeyQueryMetadata metadata = streams.queryMetadataForKey(store, key,
                (topic, k, value, n) -> Optional.of(Set.of(partition)));
        if (metadata == null || metadata.activeHost() == null || metadata.activeHost().port() < 0) {
            throw new NotQueryableException("no active owner of " + store + " partition " + partition, null);
        }
        return new Owner(metadata.activeHost().equals(self), metadata.activeHost());
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, int partition) {
        return streams.store(StoreQueryParameters
                .<ReadOnlyKeyValueStore<String, V>>fromNameAndType(name, QueryableStoreTypes.keyValueStore())
                .withPartition(partition));
    }

    /**
     * A store can stop being queryable between lookup and read (rebalance), and the key store can be
     * out of reach: both are a retryable 503.
     */
    private static <T> T queried(Supplier<T> query) {
        try {
            return query.get();
        } catch (InvalidStateStoreException e) {
            throw new NotQueryableException("analytics stores are not queryable here now: " + e.getMessage(), e);
        } catch (KeysUnavailableException e) {
            throw new NotQueryableException("the users' keys cannot be read now: " + e.getMessage(), e);
        }
    }
}
