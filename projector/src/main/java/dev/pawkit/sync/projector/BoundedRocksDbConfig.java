package dev.pawkit.sync.projector;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the memory of all RocksDB stores of this JVM together: one block cache, with memtables
 * counted against it, shared by every store instance. Without it each store and each partition
 * takes its own default caches and the total grows with the partition count.
 */
public final class BoundedRocksDbConfig implements RocksDBConfigSetter {

    /** Total off-heap budget for block cache and memtables; set once at start-up. */
    public static volatile long totalOffHeapBytes = 64L * 1024 * 1024;
    private static final double INDEX_FILTER_RATIO = 0.1;

    private static Cache cache;
    private static WriteBufferManager writeBufferManager;

    private static synchronized void initShared() {
        if (cache == null) {
            cache = new LRUCache(totalOffHeapBytes, -1, false, INDEX_FILTER_RATIO);
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
        options.setWriteBufferSize(4L * 1024 * 1024);
        options.setTableFormatConfig(tableConfig);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and write buffer manager are shared by every store: never closed per store.
    }
}
