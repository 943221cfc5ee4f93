package dev.pawkit.sync.infra;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Every topic the system owns, with its configuration. Store changelogs and repartition topics
 * are Kafka Streams' own and are not listed here.
 */
public final class PawkitTopics {

    /** Card commands, keyed by card id, partitioned by owner; kept a week for audit and replays. */
    public static final String CARD_COMMANDS = "pawkit.card-commands";
    /** Card events, the system of record: keyed by card id, partitioned by owner, kept forever. */
    public static final String CARD_EVENTS = "pawkit.card-events";
    /** The projector's decision per command, read by every API instance to answer waiting requests. */
    public static final String COMMAND_RESULTS = "pawkit.command-results";
    /**
     * Pages the metadata enricher could not get (refused, 4xx, not HTML, retries exhausted), keyed
     * by card id, JSON values; for operators to watch and retry from. The card records the failure
     * itself, so this is not the system of record: kept two weeks, time enough to look.
     */
    public static final String METADATA_DEAD_LETTERS = "pawkit.metadata-dead-letters";

    /**
     * Users' data keys, wrapped under the master key, keyed {@code <user>/<key id>}; compacted, a
     * tombstone destroys a key (crypto-shredding, see docs/erasure.md). Compaction is tuned so that
     * a destroyed key's bytes leave the disks within hours, not whenever the cleaner gets to it.
     */
    public static final String USER_KEYS = "pawkit.user-keys";
    /** Longest a destroyed key's record may wait for compaction after its segment is closed. */
    public static final Duration USER_KEY_COMPACTION_LAG = Duration.ofHours(1);

    public static final Duration COMMAND_RETENTION = Duration.ofDays(7);
    /** Replies matter only while a request waits; decided outcomes stay queryable in the outcome store. */
    public static final Duration RESULT_RETENTION = Duration.ofDays(1);
    public static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(14);

    private PawkitTopics() {
    }

    /**
     * @param partitions the same for commands and events: a user's commands and events share a partition number
     * @param replicationFactor 1 on a single local broker, 3 in production (with min.insync.replicas 2)
     */
    public static List<NewTopic> definitions(int partitions, short replicationFactor) {
        String minInsync = String.valueOf(Math.max(1, Math.min(2, replicationFactor - 1)));
        return List.of(
                new NewTopic(CARD_COMMANDS, partitions, replicationFactor).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        // The broker stamps commands: the projector's clock is then monotonic per
                        // partition whatever the API hosts' clocks say, and idempotency expiry with it.
                        TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime",
                        TopicConfig.RETENTION_MS_CONFIG, String.valueOf(COMMAND_RETENTION.toMillis()),
                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsync)),
                new NewTopic(CARD_EVENTS, partitions, replicationFactor).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, "-1",
                        TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsync)),
                new NewTopic(COMMAND_RESULTS, partitions, replicationFactor).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, String.valueOf(RESULT_RETENTION.toMillis()),
                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsync)),
                new NewTopic(USER_KEYS, partitions, replicationFactor).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        // Roll and compact within the hour, and keep tombstones only long enough
                        // for every reader to see them: then neither key nor tombstone is on disk.
                        TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(USER_KEY_COMPACTION_LAG.toMillis()),
                        TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, String.valueOf(USER_KEY_COMPACTION_LAG.toMillis()),
                        TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.01",
                        TopicConfig.DELETE_RETENTION_MS_CONFIG, String.valueOf(Duration.ofHours(1).toMillis()),
                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsync)),
                new NewTopic(METADATA_DEAD_LETTERS, partitions, replicationFactor).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, String.valueOf(DEAD_LETTER_RETENTION.toMillis()),
                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsync)));
    }
}
