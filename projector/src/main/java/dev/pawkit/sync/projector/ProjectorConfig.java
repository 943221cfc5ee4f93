package dev.pawkit.sync.projector;

import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.StreamsDefaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What a projector instance needs to run.
 *
 * @param kafka how to reach the cluster (bootstrap, TLS, SASL...)
 * @param applicationServer host:port where this instance answers reads, so that peers can route
 *     interactive queries to it
 * @param partitions the partition count of the command and event topics, which maps users to partitions
 * @param commitInterval how often the exactly-once transaction commits: the floor of write latency
 * @param rocksDbOffHeapBytes block cache and memtables of every projector store together
 */
public record ProjectorConfig(
        KafkaClientSettings kafka,
        String applicationId,
        Path stateDir,
        String applicationServer,
        int partitions,
        short replicationFactor,
        int standbyReplicas,
        Duration commitInterval,
        Duration idempotencyTtl,
        Duration purgeInterval,
        long rocksDbOffHeapBytes) {

    /** One memtable of one projector store (the rebuild folds into the same stores). */
    static final long ROCKSDB_MEMTABLE_BYTES = 4L * 1024 * 1024;

    public Properties streamsProperties() {
        // Exactly-once here: store update, events, outcome and input offset commit in one
        // transaction, so a crash never duplicates an event or loses an acknowledged decision.
        Properties props = StreamsDefaults.common(applicationId, kafka, stateDir, rocksDbOffHeapBytes,
                ROCKSDB_MEMTABLE_BYTES);
        props.putAll(StreamsDefaults.clusterMember(applicationServer, replicationFactor, standbyReplicas));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) commitInterval.toMillis());
        // The stream thread commits between polls: a poll that blocks 100 ms (the default) for
        // input that does not come holds a lone command's commit, and so its answer, that long.
        props.put(StreamsConfig.POLL_MS_CONFIG, Math.max(1, (int) commitInterval.toMillis() / 2));
        // The record cache would hold outputs until commit; stores are uncached anyway.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        // Kafka Streams does not leave its group on close by default: a restarted (or the other)
        // instance would then wait out the session before it gets the partitions back.
        props.put(StreamsConfig.mainConsumerPrefix("internal.leave.group.on.close"), true);
        return props;
    }
}
