package dev.pawkit.sync.infra;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams properties the Streams applications share. The projector, the view rebuild
 * and analytics each start from {@link #common}, the two that run as instances of a cluster add
 * {@link #clusterMember}, and each then sets only what is its own.
 */
public final class StreamsDefaults {

    private StreamsDefaults() {
    }

    /**
     * What every application sets, on top of the cluster's connection settings.
     *
     * @param rocksDbOffHeapBytes block cache and memtables of all the application's RocksDB stores
     *     together ({@link BoundedRocksDbConfig})
     * @param rocksDbMemtableBytes one memtable of one store
     */
    public static Properties common(String applicationId, KafkaClientSettings kafka, Path stateDir,
            long rocksDbOffHeapBytes, long rocksDbMemtableBytes) {
        // The cluster's connection settings (bootstrap, TLS, SASL...) first; what follows is the application's own.
        Properties props = kafka.streams(Map.of());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        // Stores, outputs and input offsets commit in one transaction: a crash never applies an
        // input twice nor loses one. Each application says what that means for its own data.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // A store's writes stay in a transaction buffer until the changelog transaction commits
        // (KIP-892), so what is on disk is always committed: after a crash Kafka Streams restores
        // the changelogs' tail instead of wiping every store and restoring all of it.
        props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class);
        // Kafka Streams hands its configuration to the setter of every store: the budget travels
        // with the application, not in a field of the process.
        props.put(BoundedRocksDbConfig.OFF_HEAP_BYTES_CONFIG, rocksDbOffHeapBytes);
        props.put(BoundedRocksDbConfig.MEMTABLE_BYTES_CONFIG, rocksDbMemtableBytes);
        return props;
    }

    /**
     * What an application running as one instance among others (the projector, analytics) adds.
     *
     * @param applicationServer host:port where this instance answers reads, so that peers can route
     *     interactive queries to it
     */
    public static Properties clusterMember(String applicationServer, short replicationFactor, int standbyReplicas) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        // A killed instance's partitions move to the others after 10 s rather than the default 45 s.
        props.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 10_000);
        return props;
    }
}
