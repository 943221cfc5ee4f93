package dev.pawkit.sync.analytics;

import dev.pawkit.sync.infra.PawkitTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * How far analytics is behind the event log, from the broker's point of view: per partition, the
 * committed end of the log (what a read_committed reader will get to) minus the analytics group's
 * committed offset. Offsets also count transaction markers, so this is an upper bound on the
 * events not yet counted, and 0 exactly when every event is. The global numbers also wait for the
 * moves between the two stages, so their lag adds the repartition topic's.
 */
public final class AnalyticsLag {

    private static final long TIMEOUT_SECONDS = 10;

    private final Admin admin;
    private final String applicationId;
    private final int partitions;

    public AnalyticsLag(Admin admin, String applicationId, int partitions) {
        this.admin = admin;
        this.applicationId = applicationId;
        this.partitions = partitions;
    }

    /** Offsets of the event partition {@code partition} not yet counted: the lag of its users' numbers. */
    public long ofEventPartition(int partition) {
        return lag(List.of(new TopicPartition(PawkitTopics.CARD_EVENTS, partition)));
    }

    /** Offsets not yet counted in the global numbers: every event partition, then the repartition topic. */
    public long global() {
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(PawkitTopics.CARD_EVENTS, p));
        }
        long events = lag(all);
        long moves = lag(List.of(new TopicPartition(AnalyticsStores.repartitionTopic(applicationId), 0)));
        return events + moves;
    }

    private long lag(List<TopicPartition> topicPartitions) {
        try {
            Map<TopicPartition, Long> end = offsets(topicPartitions, OffsetSpec.latest());
            Map<TopicPartition, Long> start = offsets(topicPartitions, OffsetSpec.earliest());
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            long lag = 0;
            for (TopicPartition partition : topicPartitions) {
                OffsetAndMetadata done = committed.get(partition);
                // Nothing committed yet: the group starts at the log's beginning.
                long position = Math.max(done == null ? 0 : done.offset(), start.getOrDefault(partition, 0L));
                lag += Math.max(0, end.getOrDefault(partition, 0L) - position);
            }
            return lag;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                // The repartition topic is missing right after a reset, until the restarted
                // application has created it again (reads answer 503 before the first start):
                // what it holds is unknown, so the numbers are not known to be caught up.
                return 1;
            }
            throw new IllegalStateException("cannot read the analytics lag: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the analytics lag", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not answer the analytics lag in time", e);
        }
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> topicPartitions, OffsetSpec spec)
            throws ExecutionException, InterruptedException, TimeoutException {
        return admin.listOffsets(topicPartitions.stream().collect(Collectors.toMap(Function.identity(), p -> spec)),
                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> ((ListOffsetsResultInfo) e.getValue()).offset()));
    }
}
