package dev.pawkit.sync.projector;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.infra.BoundedRocksDbConfig;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.sealing.InMemoryUserKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rebuild's Streams properties, key by key, as rebuilds have always run with them; the RocksDB
 * budget is now among them (it was the projector's default, 64 MiB, in a process of its own).
 */
class ViewRebuildPropertiesTest {

    @Test
    void streamsPropertiesAreExactlyTheRebuildsSettings() {
        ViewRebuild.Options options = new ViewRebuild.Options(PawkitSerdes.sealedWith(new InMemoryUserKeys()), KafkaClientSettings.plaintext("broker-1:9092"), "pawkit-projector", "pawkit-rebuild-1",
                Path.of("/data/rebuild/pawkit-rebuild-1"), true, false, Duration.ofSeconds(1));
        assertThat(ViewRebuild.properties(options)).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                entry("application.id", "pawkit-rebuild-1"),
                entry("bootstrap.servers", "broker-1:9092"),
                entry("processing.guarantee", "exactly_once_v2"),
                entry("enable.transactional.statestores", true),
                entry("commit.interval.ms", 1000),
                entry("state.dir", Path.of("/data/rebuild/pawkit-rebuild-1").toString()),
                entry("statestore.cache.max.bytes", 64L * 1024 * 1024),
                entry("rocksdb.config.setter", BoundedRocksDbConfig.class),
                entry("pawkit.rocksdb.off-heap-bytes", 64L * 1024 * 1024),
                entry("pawkit.rocksdb.memtable-bytes", 4L * 1024 * 1024),
                entry("consumer.auto.offset.reset", "earliest"),
                entry("consumer.max.poll.records", 2000)));
    }
}
