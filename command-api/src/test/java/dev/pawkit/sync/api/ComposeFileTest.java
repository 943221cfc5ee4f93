package dev.pawkit.sync.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.runtime.PawkitProperties;
import dev.pawkit.sync.runtime.StackSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml read as a file, since no Docker engine runs here to start it: every service is
 * restarted when it dies and has a health check; the brokers replicate three times with
 * {@code min.insync.replicas=2}; and the applications' variables, bound as Spring Boot binds them
 * (with application.yml, relaxed names), give replication factor 3 over all three brokers and make
 * the jar run the application only (no broker of its own). A misspelt variable binds to nothing
 * and fails here.
 */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("..", "docker-compose.yml");

    @Test
    void everyServiceRestartsAndHasAHealthCheck() throws IOException {
        Map<String, Map<String, Object>> services = services();

        assertThat(services.keySet()).contains("kafka-1", "kafka-2", "kafka-3", "pawkit-1", "pawkit-2");
        services.forEach((name, service) -> {
            assertThat(service.get("restart")).as("restart of %s", name).isIn("always", "unless-stopped", "on-failure");
            assertThat(service.get("healthcheck")).as("healthcheck of %s", name).isInstanceOf(Map.class);
            assertThat(((Map<?, ?>) service.get("healthcheck")).get("test")).as("healthcheck test of %s", name)
                    .isNotNull();
        });
    }

    @Test
    void theBrokersReplicateThreeTimesWithTwoInSync() throws IOException {
        services().entrySet().stream().filter(e -> e.getKey().startsWith("kafka-")).forEach(entry -> {
            Map<String, String> env = environment(entry.getValue());
            assertThat(env).as(entry.getKey())
                    .containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2")
                    .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2");
            assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS").split(",")).hasSize(3);
        });
    }

    @Test
    void theApplicationsCreateTheirTopicsWithReplicationFactorThreeOnAllThreeBrokers() throws IOException {
        Map<String, Map<String, Object>> services = services();
        for (String name : List.of("pawkit-1", "pawkit-2")) {
            Map<String, String> env = environment(services.get(name));
            StandardEnvironment environment = new StandardEnvironment();
            environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            new HashMap<String, Object>(env)));
            new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
                    .forEach(environment.getPropertySources()::addLast);

            PawkitProperties.Kafka kafka = Binder.get(environment).bind("pawkit.kafka", PawkitProperties.Kafka.class).get();

            assertThat(kafka.replicationFactor()).as(name).isEqualTo((short) 3);
            assertThat(kafka.standbyReplicas()).as(name).isEqualTo(1);
            assertThat(kafka.bootstrapServers().split(",")).as(name)
                    .containsExactlyInAnyOrder("kafka-1:9092", "kafka-2:9092", "kafka-3:9092");
            // The image runs the local stack jar: with these variables it starts no broker of its own.
            assertThat(StackSettings.from(new String[0], env).externalBootstrap()).as(name).isPresent();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    /** A service's environment (its anchors merged), every value as the text the container gets. */
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new HashMap<>();
        ((Map<?, ?>) service.get("environment")).forEach((name, value) -> env.put(String.valueOf(name),
                String.valueOf(value)));
        return env;
    }
}
