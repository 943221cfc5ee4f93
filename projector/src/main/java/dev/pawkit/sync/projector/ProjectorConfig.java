package dev.pawkit.sync.projector;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What a projector instance needs to run.
 *
 * @param applicationServer host:port where this instance answers reads, so that peers can route
 *     interactive queries to it
 * @param partitions the partition count of the command and event topics, which maps users to partitions
 * @param commitInterval how often the exactly-once transaction commits: the floor of write latency
 */
public record ProjectorConfig(
        String bootstrapServers,
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

    public Properties streamsProperties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // Store update, events, outcome and input offset commit in one transaction: a crash never
        // duplicates an event or loses an acknowledged decision.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) commitInterval.toMillis());
        // The stream thread commits between polls: a poll that blocks 100 ms (the default) for
        // input that does not come holds a lone command's commit, and so its answer, that long.
        props.put(StreamsConfig.POLL_MS_CONFIG, Math.max(1, (int) commitInterval.toMillis() / 2));
        // The record cache would hold outputs until commit; stores are uncached anyway.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class);
        props.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 10_000);
        // Kafka Streams does not leave its group on close by default: a restarted (or the other)
        // instance would then wait out the session before it gets the partitions back.
        props.put(StreamsConfig.mainConsumerPrefix("internal.leave.group.on.close"), true);
        return props;
    }
}
