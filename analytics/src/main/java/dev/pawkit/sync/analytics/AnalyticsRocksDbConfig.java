package dev.pawkit.sync.analytics;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the memory of every analytics store of this JVM together: one block cache, memtables
 * counted against it. A cache of its own, not the projector's, so that analytics scanning its
 * stores never evicts the blocks the write path reads.
 */
public final class AnalyticsRocksDbConfig implements RocksDBConfigSetter {

    /** Total off-heap budget for block cache and memtables; set once at start-up. */
    static volatile long totalOffHeapBytes = 32L * 1024 * 1024;

    private static Cache cache;
    private static WriteBufferManager writeBufferManager;

    private static synchronized void initShared() {
        if (cache == null) {
            cache = new LRUCache(totalOffHeapBytes, -1, false, 0.1);
            writeBufferManager = new WriteBufferManager(totalOffHeapBytes / 2, cache);
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        initShared();
        BlockBasedTableConfig tableConfig = (BlockBasedTableConfig) options.tableFormatConfig();
        tableConfig.setBlockCache(cache);
        tableConfig.setCacheIndexAndFilterBlocks(true);
        tableConfig.setCacheIndexAndFilterBlocksWithHighPriority(true);
        tableConfig.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBufferManager);
        options.setMaxWriteBufferNumber(2);
        options.setWriteBufferSize(2L * 1024 * 1024);
        options.setTableFormatConfig(tableConfig);
    }

    @Override
    public void close(String storeName, Options options) {
        // Shared by every store: never closed per store.
    }
}
