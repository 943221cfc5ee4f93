package dev.pawkit.sync.infra;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Maps a user to the partition that holds all of their cards. Commands and events are keyed by
 * card id but partitioned by owner, so one stream task is the single writer of a user's cards, of
 * their idempotency keys and of their change feed: every check is race-free and read-your-writes
 * holds for lists and feeds without a second hop. Same hash as Kafka's default partitioner.
 */
public final class OwnerPartitioner {

    private OwnerPartitioner() {
    }

    public static int partitionFor(String userId, int numPartitions) {
        return Utils.toPositive(Utils.murmur2(userId.getBytes(StandardCharsets.UTF_8))) % numPartitions;
    }
}
