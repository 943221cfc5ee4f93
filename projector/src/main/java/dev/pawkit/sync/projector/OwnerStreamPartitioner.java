package dev.pawkit.sync.projector;

import dev.pawkit.sync.infra.OwnerPartitioner;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.streams.processor.StreamPartitioner;

/** Sends what the projector writes to its owner's partition, the same one {@link OwnerPartitioner} gives commands. */
final class OwnerStreamPartitioner<K, V> implements StreamPartitioner<K, V> {

    private final Function<V, String> ownerOf;

    OwnerStreamPartitioner(Function<V, String> ownerOf) {
        this.ownerOf = ownerOf;
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, K key, V value, int numPartitions) {
        return Optional.of(Set.of(OwnerPartitioner.partitionFor(ownerOf.apply(value), numPartitions)));
    }
}
