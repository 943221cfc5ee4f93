package dev.pawkit.sync.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.runtime.StackSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which cluster the operator commands (rebuild, switch, drop) reach, and with which settings:
 * {@code --bootstrap} or PAWKIT_KAFKA_BOOTSTRAP outrank {@code spring.kafka.bootstrap-servers},
 * which outranks the local stack's default; every other {@code spring.kafka.*} setting, given as
 * an argument or a variable, reaches the clients.
 */
class ViewsCommandSettingsTest {

    private static final StackSettings STACK = new StackSettings("./data", Path.of("data").toAbsolutePath(), 19099,
            Optional.empty());
    private static final Map<String, String> NONE = Map.of();

    @Test
    void withNothingGivenTheLocalStacksBrokerIsTheDefault() {
        assertThat(servers(NONE, NONE)).isEqualTo("127.0.0.1:19099");
    }

    @Test
    void springKafkaBootstrapServersOutranksTheLocalDefault() {
        assertThat(servers(Map.of("spring.kafka.bootstrap-servers", "spring-arg:9092"), NONE)).isEqualTo("spring-arg:9092");
        assertThat(servers(NONE, Map.of("SPRING_KAFKA_BOOTSTRAP_SERVERS", "spring-var:9092"))).isEqualTo("spring-var:9092");
    }

    @Test
    void bootstrapAndPawkitKafkaBootstrapOutrankSpringKafkaBootstrapServers() {
        assertThat(servers(Map.of("bootstrap", "cli:9092", "spring.kafka.bootstrap-servers", "spring-arg:9092"),
                Map.of("SPRING_KAFKA_BOOTSTRAP_SERVERS", "spring-var:9092"))).isEqualTo("cli:9092");
        assertThat(servers(Map.of("spring.kafka.bootstrap-servers", "spring-arg:9092"),
                Map.of("PAWKIT_KAFKA_BOOTSTRAP", "pawkit-var:9092"))).isEqualTo("pawkit-var:9092");
        // Of the two, the command's own option wins.
        assertThat(servers(Map.of("bootstrap", "cli:9092"), Map.of("PAWKIT_KAFKA_BOOTSTRAP", "pawkit-var:9092")))
                .isEqualTo("cli:9092");
        // A blank variable is no choice.
        assertThat(servers(NONE, Map.of("PAWKIT_KAFKA_BOOTSTRAP", " "))).isEqualTo("127.0.0.1:19099");
    }

    @Test
    void theOtherSpringKafkaSettingsReachTheClientsFromArgumentsAndVariables() {
        KafkaClientSettings fromArguments = ViewsCommand.kafkaSettings(Map.of(
                "bootstrap", "cli:9092",
                "spring.kafka.security.protocol", "SASL_SSL",
                "spring.kafka.properties.sasl.mechanism", "SCRAM-SHA-512",
                "spring.kafka.client-id", "operator"), null, STACK, NONE);
        assertThat(fromArguments.admin(Map.of())).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(fromArguments.consumer(Map.of())).containsEntry("security.protocol", "SASL_SSL");

        KafkaClientSettings fromVariables = ViewsCommand.kafkaSettings(NONE, null, STACK, Map.of(
                "SPRING_KAFKA_SECURITY_PROTOCOL", "SSL",
                "SPRING_KAFKA_SSL_TRUST_STORE_LOCATION", "file:/etc/kafka/truststore.p12"));
        assertThat(fromVariables.admin(Map.of())).containsEntry("security.protocol", "SSL")
                .containsKey("ssl.truststore.location");
        assertThat(fromVariables.bootstrapServers()).isEqualTo("127.0.0.1:19099");
    }

    private static String servers(Map<String, String> options, Map<String, String> variables) {
        return ViewsCommand.kafkaSettings(options, null, STACK, variables).bootstrapServers();
    }
}
