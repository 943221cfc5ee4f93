package dev.pawkit.sync.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The bound on real RocksDB databases, set up the way Kafka Streams sets up a store: one setter per
 * store, given the application's configuration, closed before its database.
 */
class BoundedRocksDbConfigTest {

    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void theBudgetComesFromTheConfigurationKafkaStreamsHandsOver() throws Exception {
        try (Store store = open("budget-app", "cards", 24 * MIB, 3 * MIB)) {
            assertThat(store.db.getLongProperty("rocksdb.block-cache-capacity")).isEqualTo(24 * MIB);
            assertThat(store.options.writeBufferSize()).isEqualTo(3 * MIB);
            assertThat(store.options.maxWriteBufferNumber()).isEqualTo(2);
            assertThat(store.options.writeBufferManager()).isNotNull();
        }
    }

    @Test
    void storesOfOneApplicationShareOneCacheThatTheirMemtablesCountAgainst() throws Exception {
        try (Store cards = open("shared-app", "cards", 64 * MIB, 16 * MIB);
                Store changes = open("shared-app", "changes", 64 * MIB, 16 * MIB);
                Store other = open("other-app", "cards", 64 * MIB, 16 * MIB)) {
            fillMemtable(cards.db, 2 * MIB);
            // Nothing is flushed yet, so all the cache holds is the memtable's charge.
            assertThat(changes.db.getLongProperty("rocksdb.block-cache-usage")).isGreaterThanOrEqualTo(MIB);
            assertThat(other.db.getLongProperty("rocksdb.block-cache-usage")).isLessThan(MIB);
            assertThat(changes.options.writeBufferManager()).isSameAs(cards.options.writeBufferManager());
            assertThat(other.options.writeBufferManager()).isNotSameAs(cards.options.writeBufferManager());
        }
    }

    @Test
    void theLastStoreToCloseReleasesTheBoundAndItsDatabaseStillWorksUntilClosed() throws Exception {
        Store first = open("reopened-app", "cards", 16 * MIB, 2 * MIB);
        assertThatThrownBy(() -> open("reopened-app", "changes", 32 * MIB, 2 * MIB))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("reopened-app");
        first.setter.close("cards", first.options);
        first.db.put("k".getBytes(), "v".getBytes());
        assertThat(first.db.get("k".getBytes())).isEqualTo("v".getBytes());
        first.db.close();
        first.options.close();
        try (Store again = open("reopened-app", "changes", 32 * MIB, 2 * MIB)) {
            assertThat(again.db.getLongProperty("rocksdb.block-cache-capacity")).isEqualTo(32 * MIB);
        }
    }

    @Test
    void aMissingOrEmptyBudgetIsRefused() {
        BoundedRocksDbConfig setter = new BoundedRocksDbConfig();
        try (Options options = new Options().setTableFormatConfig(new BlockBasedTableConfig())) {
            assertThatThrownBy(() -> setter.setConfig("cards", options, Map.of(
                    StreamsConfig.APPLICATION_ID_CONFIG, "unset-app", BoundedRocksDbConfig.MEMTABLE_BYTES_CONFIG, MIB)))
                    .isInstanceOf(ConfigException.class).hasMessageContaining(BoundedRocksDbConfig.OFF_HEAP_BYTES_CONFIG);
            assertThatThrownBy(() -> setter.setConfig("cards", options, configs("unset-app", 0, MIB)))
                    .isInstanceOf(ConfigException.class).hasMessageContaining(BoundedRocksDbConfig.OFF_HEAP_BYTES_CONFIG);
        }
    }

    private static Map<String, Object> configs(String applicationId, long offHeapBytes, long memtableBytes) {
        return Map.of(StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
                BoundedRocksDbConfig.OFF_HEAP_BYTES_CONFIG, offHeapBytes,
                BoundedRocksDbConfig.MEMTABLE_BYTES_CONFIG, memtableBytes);
    }

    private Store open(String applicationId, String storeName, long offHeapBytes, long memtableBytes)
            throws RocksDBException {
        Options options = new Options().setCreateIfMissing(true).setTableFormatConfig(new BlockBasedTableConfig());
        BoundedRocksDbConfig setter = new BoundedRocksDbConfig();
        try {
            setter.setConfig(storeName, options, configs(applicationId, offHeapBytes, memtableBytes));
        } catch (RuntimeException e) {
            options.close();
            throw e;
        }
        RocksDB db = RocksDB.open(options, dir.resolve(applicationId + "-" + storeName).toString());
        return new Store(storeName, options, setter, db);
    }

    private static void fillMemtable(RocksDB db, long bytes) throws RocksDBException {
        byte[] value = new byte[1024];
        for (int i = 0; i < bytes / value.length; i++) {
            db.put(("key-" + i).getBytes(), value);
        }
    }

    /** Closes as Kafka Streams closes a store: the setter, then the database, then its options. */
    private record Store(String name, Options options, BoundedRocksDbConfig setter, RocksDB db) implements AutoCloseable {

        @Override
        public void close() {
            setter.close(name, options);
            db.close();
            options.close();
        }
    }
}
