package dev.pawkit.sync.analytics;

import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.StreamsDefaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What an analytics instance needs to run.
 *
 * @param kafka how to reach the cluster (bootstrap, TLS, SASL...)
 * @param applicationServer host:port where this instance answers reads, so that peers can route
 *     interactive queries to it
 * @param partitions the partition count of the event topic, which maps users to partitions
 * @param commitInterval how often counts and input offsets commit: the floor of the analytics lag
 * @param rocksDbOffHeapBytes block cache and memtables of every analytics store together
 */
public record AnalyticsConfig(
        KafkaClientSettings kafka,
        String applicationId,
        Path stateDir,
        String applicationServer,
        int partitions,
        short replicationFactor,
        int standbyReplicas,
        Duration commitInterval,
        long rocksDbOffHeapBytes) {

    /** One memtable of one analytics store. */
    static final long ROCKSDB_MEMTABLE_BYTES = 2L * 1024 * 1024;

    public Properties streamsProperties() {
        // Exactly-once here: counts, facts, global moves and input offsets commit in one
        // transaction, so a crash or a restart never counts an event twice, nor loses one. It also
        // reads the log read_committed.
        Properties props = StreamsDefaults.common(applicationId, kafka, stateDir, rocksDbOffHeapBytes,
                ROCKSDB_MEMTABLE_BYTES);
        props.putAll(StreamsDefaults.clusterMember(applicationServer, replicationFactor, standbyReplicas));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) commitInterval.toMillis());
        // One thread of its own, beside the projector's: analytics can fall behind, the projector never waits for it.
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 8L * 1024 * 1024);
        props.put(StreamsConfig.consumerPrefix("max.poll.records"), 2000);
        return props;
    }
}
