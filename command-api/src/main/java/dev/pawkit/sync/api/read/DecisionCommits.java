package dev.pawkit.sync.api.read;

import dev.pawkit.sync.runtime.PawkitProperties;
import dev.pawkit.sync.runtime.ProjectorIdentity;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.domain.log.OutcomeEnvelope;
import dev.pawkit.sync.infra.OwnerPartitioner;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.stereotype.Component;

/**
 * Whether a decision read from the projector's outcome store is committed. The store shows a
 * decision as soon as it is made, before its transaction (events, outcome, input offset) commits;
 * the decision is committed once the projector's committed offset in the command's partition is
 * past the command. Exactly-once commits offsets in the transaction, so they move only at commit.
 */
@Component
class DecisionCommits {

    private static final long FRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Admin admin;
    private final String projectorGroup;
    private final int partitions;
    private volatile Map<Integer, Long> committed = Map.of();
    private volatile long fetchedAt;

    DecisionCommits(Admin admin, PawkitProperties properties, ProjectorIdentity identity) {
        this.admin = admin;
        this.projectorGroup = identity.applicationId();
        this.partitions = properties.kafka().partitions();
    }

    boolean isCommitted(OutcomeEnvelope outcome) throws Exception {
        if (outcome.commandOffset() < 0) {
            // Decided before outcomes carried their command's offset: long committed.
            return true;
        }
        int partition = OwnerPartitioner.partitionFor(outcome.userId(), partitions);
        Long committedOffset = committedOffsets().get(partition);
        return committedOffset != null && committedOffset > outcome.commandOffset();
    }

    private Map<Integer, Long> committedOffsets() throws Exception {
        if (System.nanoTime() - fetchedAt > FRESH_NANOS) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(projectorGroup)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            committed = offsets.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(PawkitTopics.CARD_COMMANDS) && e.getValue() != null)
                    .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
            fetchedAt = System.nanoTime();
        }
        return committed;
    }
}
