package dev.pawkit.sync.projector;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.infra.BoundedRocksDbConfig;
import dev.pawkit.sync.infra.KafkaClientSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The projector's Streams properties, key by key, as the projector has always run with them; the
 * RocksDB budget is now among them rather than in a static field.
 */
class ProjectorConfigTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void streamsPropertiesAreExactlyTheProjectorsSettings() {
        assertThat(config(Duration.ofMillis(20)).streamsProperties()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                entry("application.id", "pawkit-projector"),
                entry("bootstrap.servers", "broker-1:9092"),
                entry("processing.guarantee", "exactly_once_v2"),
                entry("enable.transactional.statestores", true),
                entry("commit.interval.ms", 20),
                entry("poll.ms", 10),
                entry("statestore.cache.max.bytes", 0L),
                entry("state.dir", Path.of("/data/streams").toString()),
                entry("application.server", "10.0.0.5:8080"),
                entry("replication.factor", 3),
                entry("num.standby.replicas", 1),
                entry("rocksdb.config.setter", BoundedRocksDbConfig.class),
                entry("pawkit.rocksdb.off-heap-bytes", 48 * MIB),
                entry("pawkit.rocksdb.memtable-bytes", 4 * MIB),
                entry("consumer.session.timeout.ms", 10_000),
                entry("main.consumer.internal.leave.group.on.close", true)));
    }

    @Test
    void aCommitIntervalTooShortToHalveStillPollsForAMillisecond() {
        assertThat(config(Duration.ofMillis(1)).streamsProperties()).containsEntry("poll.ms", 1);
    }

    private static ProjectorConfig config(Duration commitInterval) {
        return new ProjectorConfig(KafkaClientSettings.plaintext("broker-1:9092"), "pawkit-projector", Path.of("/data/streams"), "10.0.0.5:8080",
                6, (short) 3, 1, commitInterval, Duration.ofHours(24), Duration.ofMinutes(1), 48 * MIB);
    }
}
