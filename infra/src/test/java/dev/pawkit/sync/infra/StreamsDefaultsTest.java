package dev.pawkit.sync.infra;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsDefaultsTest {

    @Test
    void everyApplicationIsExactlyOnceWithTransactionalStoresItsStateDirAndItsRocksDbBudget() {
        assertThat(StreamsDefaults.common("app", KafkaClientSettings.plaintext("broker-1:9092"), Path.of("/data/streams"), 48L << 20, 4L << 20))
                .containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                        entry("application.id", "app"),
                        entry("bootstrap.servers", "broker-1:9092"),
                        entry("processing.guarantee", "exactly_once_v2"),
                        entry("enable.transactional.statestores", true),
                        entry("state.dir", Path.of("/data/streams").toString()),
                        entry("rocksdb.config.setter", BoundedRocksDbConfig.class),
                        entry("pawkit.rocksdb.off-heap-bytes", 48L << 20),
                        entry("pawkit.rocksdb.memtable-bytes", 4L << 20)));
    }

    @Test
    void aClusterMemberServesReadsReplicatesAndFailsOverWithinTenSeconds() {
        assertThat(StreamsDefaults.clusterMember("10.0.0.5:8080", (short) 3, 1))
                .containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                        entry("application.server", "10.0.0.5:8080"),
                        entry("replication.factor", 3),
                        entry("num.standby.replicas", 1),
                        entry("consumer.session.timeout.ms", 10_000)));
    }

    @Test
    void kafkaStreamsTakesTheDefaultsAsTheyAreTyped() {
        Properties props = StreamsDefaults.common("app", KafkaClientSettings.plaintext("broker-1:9092"), Path.of("/data/streams"), 48L << 20, 4L << 20);
        props.putAll(StreamsDefaults.clusterMember("10.0.0.5:8080", (short) 3, 1));
        StreamsConfig config = new StreamsConfig(props);
        assertThat(config.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
        assertThat(config.getClass(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(BoundedRocksDbConfig.class);
        assertThat(config.getMainConsumerConfigs("app", "client", 0)).containsEntry("session.timeout.ms", 10_000);
    }
}
