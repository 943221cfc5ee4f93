package dev.pawkit.sync.projector;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Maps a user to the partition that holds all of their cards. Commands and events are keyed by
 * card id but partitioned by owner, so one stream task is the single writer of a user's cards, of
 * their idempotency keys and of their change feed: every check is race-free and read-your-writes
 * holds for lists and feeds without a second hop. Same hash as Kafka's default partitioner.
 */
public final class OwnerPartitioner<K, V> implements StreamPartitioner<K, V> {

    private final Function<V, String> ownerOf;

    public OwnerPartitioner(Function<V, String> ownerOf) {
        this.ownerOf = ownerOf;
    }

    public static int partitionFor(String userId, int numPartitions) {
        return Utils.toPositive(Utils.murmur2(userId.getBytes(StandardCharsets.UTF_8))) % numPartitions;
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, K key, V value, int numPartitions) {
        return Optional.of(Set.of(partitionFor(ownerOf.apply(value), numPartitions)));
    }
}
