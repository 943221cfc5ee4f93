package dev.pawkit.sync.analytics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What an analytics instance needs to run.
 *
 * @param applicationServer host:port where this instance answers reads, so that peers can route
 *     interactive queries to it
 * @param partitions the partition count of the event topic, which maps users to partitions
 * @param commitInterval how often counts and input offsets commit: the floor of the analytics lag
 * @param rocksDbOffHeapBytes block cache and memtables of every analytics store together
 */
public record AnalyticsConfig(
        String bootstrapServers,
        String applicationId,
        Path stateDir,
        String applicationServer,
        int partitions,
        short replicationFactor,
        int standbyReplicas,
        Duration commitInterval,
        long rocksDbOffHeapBytes) {

    public Properties streamsProperties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // Counts, facts, global moves and input offsets commit in one transaction: a crash or a
        // restart never counts an event twice, nor loses one. It also reads the log read_committed.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) commitInterval.toMillis());
        // One thread of its own, beside the projector's: analytics can fall behind, the projector never waits for it.
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 8L * 1024 * 1024);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, AnalyticsRocksDbConfig.class);
        props.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 10_000);
        props.put(StreamsConfig.consumerPrefix("max.poll.records"), 2000);
        return props;
    }
}
