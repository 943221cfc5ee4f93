package dev.pawkit.sync.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The local stack's settings read as Spring reads them: a {@code --pawkit.…} argument and its
 * environment variable mean the same thing, and any of the names for an existing cluster's servers
 * means "no local broker" ({@link StackSettings#externalBootstrap()} present).
 */
class StackSettingsTest {

    private static final Map<String, String> NO_VARIABLES = Map.of();

    @Test
    void withNothingGivenTheStackRunsItsOwnBrokerOnItsDefaults() {
        StackSettings settings = StackSettings.from(new String[0], NO_VARIABLES);

        assertThat(settings.externalBootstrap()).isEmpty();
        assertThat(settings.kafkaPort()).isEqualTo(9092);
        assertThat(settings.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
    }

    @Test
    void theBootstrapArgumentAndTheVariableBothMeanAnExistingClusterAndNoLocalBroker() {
        StackSettings byArgument = StackSettings.from(
                new String[] {"--pawkit.kafka.bootstrap-servers=kafka-a:9092,kafka-b:9092"}, NO_VARIABLES);
        StackSettings byReadmeVariable = StackSettings.from(new String[0],
                Map.of("PAWKIT_KAFKA_BOOTSTRAP", "kafka-a:9092,kafka-b:9092"));
        StackSettings byRelaxedVariable = StackSettings.from(new String[0],
                Map.of("PAWKIT_KAFKA_BOOTSTRAP_SERVERS", "kafka-a:9092,kafka-b:9092"));
        StackSettings bySpringName = StackSettings.from(
                new String[] {"--spring.kafka.bootstrap-servers=kafka-a:9092,kafka-b:9092"}, NO_VARIABLES);
        StackSettings bySpringVariable = StackSettings.from(new String[0],
                Map.of("SPRING_KAFKA_BOOTSTRAP_SERVERS", "kafka-a:9092,kafka-b:9092"));

        for (StackSettings settings : new StackSettings[] {byArgument, byReadmeVariable, byRelaxedVariable,
                bySpringName, bySpringVariable}) {
            assertThat(settings.externalBootstrap()).contains("kafka-a:9092,kafka-b:9092");
        }
    }

    @Test
    void anArgumentOutranksTheVariableOfTheSameName() {
        StackSettings settings = StackSettings.from(new String[] {"--pawkit.kafka.bootstrap-servers=from-argument:9092",
                "--pawkit.data-dir=/tmp/from-argument", "--pawkit.kafka.local-port=19092"}, Map.of(
                "PAWKIT_KAFKA_BOOTSTRAP", "from-variable:9092",
                "PAWKIT_DATA_DIR", "/tmp/from-variable",
                "PAWKIT_KAFKA_PORT", "29092"));

        assertThat(settings.externalBootstrap()).contains("from-argument:9092");
        assertThat(settings.dataDir()).isEqualTo(Path.of("/tmp/from-argument"));
        assertThat(settings.kafkaPort()).isEqualTo(19092);
    }

    @Test
    void theDataDirectoryAndPortVariablesAreRead() {
        StackSettings settings = StackSettings.from(new String[0],
                Map.of("PAWKIT_DATA_DIR", "/tmp/pawkit-elsewhere", "PAWKIT_KAFKA_PORT", "19093"));

        assertThat(settings.dataDir()).isEqualTo(Path.of("/tmp/pawkit-elsewhere"));
        assertThat(settings.kafkaPort()).isEqualTo(19093);
        assertThat(settings.externalBootstrap()).isEqualTo(Optional.empty());
        assertThat(settings.logFile()).isEqualTo(Path.of("/tmp/pawkit-elsewhere", "logs", "pawkit.log"));
    }

    @Test
    void blankServersMeanNone() {
        assertThat(StackSettings.from(new String[] {"--pawkit.kafka.bootstrap-servers= "}, NO_VARIABLES)
                .externalBootstrap()).isEmpty();
        assertThat(StackSettings.from(new String[0], Map.of("PAWKIT_KAFKA_BOOTSTRAP", "")).externalBootstrap())
                .isEmpty();
    }
}
