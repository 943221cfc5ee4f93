package dev.pawkit.sync.runtime;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * What the local stack (and the operator commands run beside it) must know before Spring starts (where its data lives, whether to run a
 * broker, on which port), read through Spring's {@link ConfigurableEnvironment} with the same
 * precedence the application then uses: a {@code --pawkit.…} argument, then a system property, then
 * the environment variable (Spring's relaxed form, {@code PAWKIT_DATA_DIR} for
 * {@code pawkit.data-dir}, or the names README has always given). So {@code --pawkit.data-dir=x}
 * moves the broker log and the state stores together, and {@code --pawkit.kafka.bootstrap-servers=…}
 * means an existing cluster, exactly as {@code PAWKIT_KAFKA_BOOTSTRAP} does.
 */
public record StackSettings(String dataDirAsGiven, Path dataDir, int kafkaPort, Optional<String> externalBootstrap) {

    public static StackSettings from(String[] args) {
        return from(args, System.getenv());
    }

    /**
     * As {@link #from(String[])}, with these environment variables in place of the process's (tests;
     * a check of docker-compose.yml's variables).
     */
    public static StackSettings from(String[] args, Map<String, ?> variables) {
        ConfigurableEnvironment env = new StandardEnvironment();
        env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new java.util.HashMap<String, Object>(variables)));
        env.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        // Lowest precedence: README's variable names, where Spring's relaxed names would differ.
        env.getPropertySources().addLast(new MapPropertySource("pawkit-local-stack-defaults", Map.of(
                "pawkit.data-dir", "${PAWKIT_DATA_DIR:./data}",
                "pawkit.kafka.local-port", "${PAWKIT_KAFKA_PORT:9092}",
                "pawkit.kafka.bootstrap-servers", "${PAWKIT_KAFKA_BOOTSTRAP:}")));
        String dataDir = env.getRequiredProperty("pawkit.data-dir").trim();
        // Spring Boot's own name for the servers counts too: it is what the application's clients use.
        String bootstrap = env.getProperty("spring.kafka.bootstrap-servers",
                env.getProperty("pawkit.kafka.bootstrap-servers", "")).trim();
        return new StackSettings(dataDir, Path.of(dataDir).toAbsolutePath().normalize(),
                env.getRequiredProperty("pawkit.kafka.local-port", Integer.class),
                bootstrap.isEmpty() ? Optional.empty() : Optional.of(bootstrap));
    }

    /** Where the full logs go; the console shows errors and the stack's own few lines only. */
    public Path logFile() {
        return dataDir.resolve("logs").resolve("pawkit.log");
    }
}
