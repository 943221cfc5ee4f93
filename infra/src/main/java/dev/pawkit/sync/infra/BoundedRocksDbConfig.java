package dev.pawkit.sync.infra;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of all RocksDB stores of one Streams application in this JVM
 * together: one block cache, with memtables counted against it, shared by every store, task and
 * partition of the application. Without it each store and each partition takes its own default
 * caches and the total grows with the partition count.
 *
 * <p>{@link StreamsDefaults} names this class and the budget ({@link #OFF_HEAP_BYTES_CONFIG},
 * {@link #MEMTABLE_BYTES_CONFIG}) in every application's properties. Kafka Streams makes one
 * instance per store as it opens it and hands it that configuration, so what the stores share is
 * kept here per application id: made by its first store, closed with its last. The projector,
 * analytics and a rebuild in one process each have a cache of their own, and analytics scanning
 * its stores never evicts the blocks the write path reads. Clients of one application id in one
 * process (tests run two projectors) share one bound, and must ask for the same budget.
 */
public final class BoundedRocksDbConfig implements RocksDBConfigSetter {

    /** Block cache and memtables of all the application's stores together, in bytes. */
    public static final String OFF_HEAP_BYTES_CONFIG = "pawkit.rocksdb.off-heap-bytes";
    /** One memtable of one store, in bytes: when it flushes. */
    public static final String MEMTABLE_BYTES_CONFIG = "pawkit.rocksdb.memtable-bytes";

    private static final double INDEX_FILTER_RATIO = 0.1;
    private static final Map<String, SharedBound> BOUNDS = new HashMap<>();

    private SharedBound bound;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        long memtableBytes = positiveBytes(configs, MEMTABLE_BYTES_CONFIG);
        bound = acquire((String) configs.get(StreamsConfig.APPLICATION_ID_CONFIG),
                positiveBytes(configs, OFF_HEAP_BYTES_CONFIG));
        BlockBasedTableConfig tableConfig = (BlockBasedTableConfig) options.tableFormatConfig();
        tableConfig.setBlockCache(bound.cache);
        tableConfig.setCacheIndexAndFilterBlocks(true);
        tableConfig.setCacheIndexAndFilterBlocksWithHighPriority(true);
        tableConfig.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(bound.writeBufferManager);
        options.setMaxWriteBufferNumber(2);
        options.setWriteBufferSize(memtableBytes);
        options.setTableFormatConfig(tableConfig);
    }

    /**
     * The cache and write buffer manager are the whole application's, so one store's close only
     * lets go of them; the last store of the application to close closes them. That is safe
     * although this store's database closes only after this call: the Java objects are handles on
     * shared native pointers, which the database holds too until it is closed.
     */
    @Override
    public void close(String storeName, Options options) {
        if (bound != null) {
            release(bound);
            bound = null;
        }
    }

    // A store that fails to open is never closed by Kafka Streams: its hold keeps the bound open
    // for the rest of the process, as if the application still had a store.
    private static SharedBound acquire(String applicationId, long offHeapBytes) {
        synchronized (BOUNDS) {
            SharedBound bound = BOUNDS.computeIfAbsent(applicationId, id -> new SharedBound(id, offHeapBytes));
            if (bound.offHeapBytes != offHeapBytes) {
                throw new IllegalStateException("the RocksDB stores of " + applicationId + " in this process are bound to "
                        + bound.offHeapBytes + " bytes; another client of it asks for " + offHeapBytes);
            }
            bound.openStores++;
            return bound;
        }
    }

    private static void release(SharedBound bound) {
        synchronized (BOUNDS) {
            if (--bound.openStores == 0) {
                BOUNDS.remove(bound.applicationId);
                bound.writeBufferManager.close();
                bound.cache.close();
            }
        }
    }

    private static long positiveBytes(Map<String, Object> configs, String key) {
        Object value = configs.get(key);
        if (value == null) {
            throw new ConfigException(key + " is not set: StreamsDefaults puts the RocksDB budget into the properties");
        }
        long bytes = value instanceof Number number ? number.longValue() : Long.parseLong(value.toString().trim());
        if (bytes <= 0) {
            // A write buffer manager of 0 bytes does not bound memtables at all.
            throw new ConfigException(key, value, "must be a positive number of bytes");
        }
        return bytes;
    }

    /** The one cache and write buffer manager of an application's stores, and how many stores hold them. */
    private static final class SharedBound {

        final String applicationId;
        final long offHeapBytes;
        final Cache cache;
        final WriteBufferManager writeBufferManager;
        int openStores;

        SharedBound(String applicationId, long offHeapBytes) {
            this.applicationId = applicationId;
            this.offHeapBytes = offHeapBytes;
            this.cache = new LRUCache(offHeapBytes, -1, false, INDEX_FILTER_RATIO);
            // Memtables are charged to the cache, so blocks and memtables together stay within the
            // budget; they flush before they take more than half of it.
            this.writeBufferManager = new WriteBufferManager(offHeapBytes / 2, cache);
        }
    }
}
