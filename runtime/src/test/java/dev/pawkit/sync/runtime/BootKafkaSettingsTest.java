package dev.pawkit.sync.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.infra.KafkaClientSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class BootKafkaSettingsTest {

    @Test
    void everyKindOfClientGetsTheSpringKafkaConnectionSettingsAndKeepsItsOwn() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "spring.kafka.bootstrap-servers", "b1:9096,b2:9096",
                "spring.kafka.security.protocol", "SASL_SSL",
                "spring.kafka.properties.sasl.mechanism", "SCRAM-SHA-512",
                "spring.kafka.properties.sasl.jaas.config", "ScramLoginModule required;",
                "spring.kafka.consumer.properties.fetch.max.bytes", "1000")));

        KafkaClientSettings kafka = BootKafkaSettings.from(environment);

        Map<String, Object> connection = Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "ScramLoginModule required;");
        assertThat(kafka.bootstrapServers()).isEqualTo("b1:9096,b2:9096");
        assertThat(kafka.admin(Map.of())).containsAllEntriesOf(connection);
        assertThat(kafka.producer(Map.of("acks", "all"))).containsAllEntriesOf(connection).containsEntry("acks", "all");
        assertThat(kafka.streams(Map.of())).containsAllEntriesOf(connection);
        // A kind's own settings go to that kind only; the system's own settings win over the operator's.
        assertThat(kafka.consumer(Map.of("isolation.level", "read_committed")))
                .containsAllEntriesOf(connection).containsEntry("fetch.max.bytes", "1000")
                .containsEntry("isolation.level", "read_committed");
        assertThat(kafka.producer(Map.of())).doesNotContainKey("fetch.max.bytes");
        assertThat(kafka.toString()).doesNotContain("jaas");
    }
}
