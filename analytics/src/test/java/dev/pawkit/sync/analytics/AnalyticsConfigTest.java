package dev.pawkit.sync.analytics;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.infra.BoundedRocksDbConfig;
import dev.pawkit.sync.infra.KafkaClientSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The analytics Streams properties, key by key, as analytics has always run with them; the RocksDB
 * budget is now among them rather than in a static field.
 */
class AnalyticsConfigTest {

    @Test
    void streamsPropertiesAreExactlyTheAnalyticsSettings() {
        AnalyticsConfig config = new AnalyticsConfig(KafkaClientSettings.plaintext("broker-1:9092"), "pawkit-analytics", Path.of("/data/streams"),
                "10.0.0.5:8080", 6, (short) 3, 1, Duration.ofMillis(100), 24L * 1024 * 1024);
        assertThat(config.streamsProperties()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                entry("application.id", "pawkit-analytics"),
                entry("bootstrap.servers", "broker-1:9092"),
                entry("processing.guarantee", "exactly_once_v2"),
                entry("enable.transactional.statestores", true),
                entry("commit.interval.ms", 100),
                entry("num.stream.threads", 1),
                entry("statestore.cache.max.bytes", 8L * 1024 * 1024),
                entry("state.dir", Path.of("/data/streams").toString()),
                entry("application.server", "10.0.0.5:8080"),
                entry("replication.factor", 3),
                entry("num.standby.replicas", 1),
                entry("rocksdb.config.setter", BoundedRocksDbConfig.class),
                entry("pawkit.rocksdb.off-heap-bytes", 24L * 1024 * 1024),
                entry("pawkit.rocksdb.memtable-bytes", 2L * 1024 * 1024),
                entry("consumer.session.timeout.ms", 10_000),
                entry("consumer.max.poll.records", 2000)));
    }
}
