package dev.pawkit.sync.enricher;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Which consumed offsets are finished (their command acknowledged by the broker, or nothing to do),
 * and so how far each partition may be committed: up to the first unfinished record, never past
 * it, however many later ones finished first. Fetches run concurrently and finish in any order;
 * the commit stays in log order. Used by the poll thread only.
 */
final class OffsetTracker {

    private final Map<TopicPartition, TreeMap<Long, Boolean>> open = new HashMap<>();
    private final Map<TopicPartition, Long> committable = new HashMap<>();
    private int unfinished;

    void track(TopicPartition partition, long offset) {
        Boolean before = open.computeIfAbsent(partition, p -> new TreeMap<>()).put(offset, false);
        if (!Boolean.FALSE.equals(before)) {
            unfinished++;
        }
    }

    /** Finished; ignored when the partition was forgotten meanwhile (revoked). */
    void finish(TopicPartition partition, long offset) {
        TreeMap<Long, Boolean> offsets = open.get(partition);
        if (offsets == null || !Boolean.FALSE.equals(offsets.get(offset))) {
            return;
        }
        offsets.put(offset, true);
        unfinished--;
        Long next = null;
        while (!offsets.isEmpty() && offsets.firstEntry().getValue()) {
            next = offsets.pollFirstEntry().getKey() + 1;
        }
        if (next != null) {
            committable.put(partition, next);
        }
    }

    /** The offsets to commit (next offset to read, per partition) that advanced since last taken. */
    Map<TopicPartition, Long> takeCommittable() {
        Map<TopicPartition, Long> taken = Map.copyOf(committable);
        committable.clear();
        return taken;
    }

    /** Like {@link #takeCommittable()}, for these partitions only. */
    Map<TopicPartition, Long> takeCommittable(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> taken = new HashMap<>();
        for (TopicPartition partition : partitions) {
            Long next = committable.remove(partition);
            if (next != null) {
                taken.put(partition, next);
            }
        }
        return taken;
    }

    /** Records read but not finished, over all partitions: the fetches in flight. */
    int unfinished() {
        return unfinished;
    }

    void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            TreeMap<Long, Boolean> offsets = open.remove(partition);
            if (offsets != null) {
                unfinished -= (int) offsets.values().stream().filter(finished -> !finished).count();
            }
            committable.remove(partition);
        }
    }
}
