package dev.pawkit.sync.operator;

import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.KafkaUserKeys;
import dev.pawkit.sync.infra.LocalKafkaBroker;
import dev.pawkit.sync.projector.ViewRebuild;
import dev.pawkit.sync.projector.ViewSwitch;
import dev.pawkit.sync.runtime.BootKafkaSettings;
import dev.pawkit.sync.runtime.MasterKeyLoader;
import dev.pawkit.sync.runtime.PawkitProperties;
import dev.pawkit.sync.runtime.ProjectorIdentity;
import dev.pawkit.sync.runtime.StackSettings;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.sealing.KeyMaterial;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The operator's view tools, run from the local stack jar against a running cluster:
 * <pre>
 *   java -jar pawkit-local-stack.jar rebuild [--keep] [--no-compare] [--live-app id] [--rebuild-app id]
 *       rebuild every view from the event log beside the live system, compare with the live views
 *       (exit 0 when identical); --keep leaves them in place for a switch
 *   java -jar pawkit-local-stack.jar switch --from old-id --to new-id
 *       with the old projector stopped: catch the kept views of new-id up, copy the decision state,
 *       hand new-id the command log where old-id stopped; then start with application id new-id
 *   java -jar pawkit-local-stack.jar drop --app old-id
 *       drop everything of an application id that no longer runs
 * </pre>
 * Common: {@code --bootstrap host:port} (default PAWKIT_KAFKA_BOOTSTRAP, else 127.0.0.1:PAWKIT_KAFKA_PORT or 9092),
 * and the application's Kafka connection settings: {@code SPRING_KAFKA_*} variables or
 * {@code --spring.kafka.<name> value} (README: Connecting to your cluster), so that the commands reach a
 * secured cluster like the application does.
 */
public final class ViewsCommand {

    public static final java.util.Set<String> VERBS = java.util.Set.of("rebuild", "switch", "drop");

    private ViewsCommand() {
    }

    /** Runs the verb; returns the process exit status. */
    public static int main(String verb, String[] args) throws Exception {
        // No Spring Boot here to apply application.yml's log levels: the Kafka clients would print
        // every configuration at INFO. The tool's own output is what the operator reads.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Map<String, String> options = options(args);
        // Where the stack keeps its data and runs its broker, read as the stack reads it (--pawkit.data-dir
        // or PAWKIT_DATA_DIR, --pawkit.kafka.local-port or PAWKIT_KAFKA_PORT).
        StackSettings stack = StackSettings.from(args);
        // A switch runs while the stack is stopped, and the local stack's broker stops with it:
        // then this command runs that broker, from the same data directory, for its own duration.
        try (LocalKafkaBroker broker = localBrokerIfDown(options, stack)) {
            KafkaClientSettings kafka = kafkaSettings(options, broker, stack, System.getenv());
            BootKafkaSettings.requireReachable(kafka, Duration.ofSeconds(30));
            // Views hold sealed content: the rebuild opens events and seals its views with the users' keys.
            try (KafkaUserKeys keys = new KafkaUserKeys(kafka,
                    new KeyMaterial(MasterKeyLoader.load(encryption(options), stack.dataDir())))) {
                return run(verb, options, kafka, PawkitSerdes.sealedWith(keys), stack.dataDir());
            }
        }
    }

    /**
     * The application's master key: PAWKIT_ENCRYPTION_MASTER_KEY, or the file of
     * {@code --master-key-file} or PAWKIT_ENCRYPTION_MASTER_KEY_FILE, else the data directory's.
     * Never made here: a tool that made a new one would open nothing.
     */
    private static PawkitProperties.Encryption encryption(Map<String, String> options) {
        String file = options.getOrDefault("master-key-file", System.getenv("PAWKIT_ENCRYPTION_MASTER_KEY_FILE"));
        return new PawkitProperties.Encryption(System.getenv("PAWKIT_ENCRYPTION_MASTER_KEY"),
                file == null ? null : Path.of(file), false);
    }

    /**
     * The application's settings ({@code spring.kafka.*} from arguments and environment, bound by
     * Spring Boot's rules), with the servers this command was pointed at: a local broker it runs,
     * {@code --bootstrap} or PAWKIT_KAFKA_BOOTSTRAP outrank {@code spring.kafka.bootstrap-servers};
     * the local default does not.
     */
    static KafkaClientSettings kafkaSettings(Map<String, String> options, LocalKafkaBroker broker, StackSettings stack,
            Map<String, String> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        // The variables given (the process's, or a test's) in place of the environment Spring reads itself.
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new HashMap<String, Object>(variables)));
        Map<String, Object> given = new HashMap<>();
        options.forEach((name, value) -> {
            if (name.startsWith("spring.kafka.")) {
                given.put(name, value);
            }
        });
        environment.getPropertySources().addFirst(new MapPropertySource("arguments", given));
        String chosen = broker != null ? broker.bootstrapServers()
                : options.getOrDefault("bootstrap", nonBlank(variables.get("PAWKIT_KAFKA_BOOTSTRAP")));
        if (chosen != null) {
            environment.getPropertySources().addFirst(new MapPropertySource("chosen-bootstrap",
                    Map.of("spring.kafka.bootstrap-servers", chosen)));
        } else {
            environment.getPropertySources().addLast(new MapPropertySource("default-bootstrap",
                    Map.of("spring.kafka.bootstrap-servers", "127.0.0.1:" + stack.kafkaPort())));
        }
        return BootKafkaSettings.from(environment);
    }

    private static int run(String verb, Map<String, String> options, KafkaClientSettings kafka, PawkitSerdes serdes,
            Path dataDir)
            throws Exception {
        switch (verb) {
            case "rebuild" -> {
                String rebuildApp = options.getOrDefault("rebuild-app", "pawkit-rebuild-" + System.currentTimeMillis());
                ViewRebuild.Report report = ViewRebuild.run(new ViewRebuild.Options(serdes, kafka,
                        options.getOrDefault("live-app", ProjectorIdentity.resolve(dataDir, ProjectorIdentity.DEFAULT_ID)),
                        rebuildApp, stateDir(dataDir, rebuildApp),
                        !options.containsKey("no-compare"), options.containsKey("keep"), Duration.ofSeconds(1)),
                        System.out);
                System.out.println(report.identical() ? "rebuilt views are identical to the live views"
                        : "REBUILT VIEWS DIFFER FROM THE LIVE VIEWS");
                return report.identical() ? 0 : 1;
            }
            case "switch" -> {
                String to = required(options, "to");
                ViewSwitch.run(new ViewRebuild.Options(serdes, kafka, required(options, "from"), to, stateDir(dataDir, to),
                        false, true, Duration.ofSeconds(1)), required(options, "from"), System.out);
                // The local stack on this data directory starts as the new id from now on.
                ProjectorIdentity.record(dataDir, to);
                return 0;
            }
            case "drop" -> {
                ViewSwitch.dropOld(kafka, required(options, "app"), System.out);
                return 0;
            }
            default -> throw new IllegalArgumentException("unknown verb " + verb + ": one of " + VERBS);
        }
    }

    private static LocalKafkaBroker localBrokerIfDown(Map<String, String> options, StackSettings stack)
            throws java.io.IOException {
        Path kafkaDir = stack.dataDir().resolve("kafka");
        int port = stack.kafkaPort();
        if (options.containsKey("bootstrap") || System.getenv("PAWKIT_KAFKA_BOOTSTRAP") != null
                || options.containsKey("spring.kafka.bootstrap-servers") || System.getenv("SPRING_KAFKA_BOOTSTRAP_SERVERS") != null
                || !Files.exists(kafkaDir.resolve("meta.properties")) || listening(port)) {
            return null;
        }
        System.out.printf("the local stack is stopped: running its broker from %s for this command%n", kafkaDir);
        return LocalKafkaBroker.start(kafkaDir, port);
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static Path stateDir(Path dataDir, String applicationId) {
        return dataDir.resolve("rebuild").resolve(applicationId);
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--keep") || name.equals("--no-compare")) {
                options.put(name.substring(2), "true");
            } else if (name.startsWith("--") && name.contains("=")) {
                options.put(name.substring(2, name.indexOf('=')), name.substring(name.indexOf('=') + 1));
            } else if (name.startsWith("--") && i + 1 < args.length) {
                options.put(name.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option " + name + " in " + Arrays.toString(args));
            }
        }
        return options;
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
