package dev.pawkit.sync.stack;

import dev.pawkit.sync.api.PawkitApplication;
import dev.pawkit.sync.infra.LocalKafkaBroker;
import dev.pawkit.sync.operator.ViewsCommand;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The jar's entry, and everything on one machine in one process: a real single-node KRaft broker
 * (data under {@code $PAWKIT_DATA_DIR/kafka}), then the API with its projector (stores under
 * {@code $PAWKIT_DATA_DIR/streams}), analytics and the enricher. SIGTERM closes the application
 * first (projector commits, requests drain), then the broker. The same jar runs each part alone:
 * <pre>
 *   java -jar pawkit-local-stack.jar                   the local stack (or, with PAWKIT_KAFKA_BOOTSTRAP, the API process alone)
 *   java -jar pawkit-local-stack.jar enricher          the metadata enricher alone (no HTTP), against pawkit.kafka.bootstrap-servers
 *   java -jar pawkit-local-stack.jar analytics         analytics and its /api/stats reads alone
 *   java -jar pawkit-local-stack.jar rebuild|switch|drop   the operator's view commands
 * </pre>
 */
public final class LocalStack {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    private LocalStack() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && ViewsCommand.VERBS.contains(args[0])) {
            // The same jar is the operator's tool for the views of a running stack.
            System.exit(ViewsCommand.main(args[0], java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("analytics")) {
            // Analytics and its /api/stats reads as a process of their own.
            AnalyticsProcess.run(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("enricher")) {
            // The metadata enricher as a process of its own, against the cluster pawkit.kafka.* names.
            EnricherProcess.run(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (System.getenv("PAWKIT_KAFKA_BOOTSTRAP") != null) {
            // An existing cluster (docker-compose.yml, production): the application alone, no local broker.
            PawkitApplication.main(args);
            return;
        }
        Path dataDir = Path.of(env("PAWKIT_DATA_DIR", "./data")).toAbsolutePath().normalize();
        int kafkaPort = Integer.parseInt(env("PAWKIT_KAFKA_PORT", "9092"));

        LocalKafkaBroker broker = LocalKafkaBroker.start(dataDir.resolve("kafka"), kafkaPort);
        // System properties outrank application.yml: the app talks to this broker and shares the data dir.
        System.setProperty("pawkit.kafka.bootstrap-servers", broker.bootstrapServers());
        System.setProperty("pawkit.data-dir", dataDir.toString());

        SpringApplication application = new SpringApplication(PawkitApplication.class);
        // One shutdown hook, in order: the application before the broker it writes to.
        application.setRegisterShutdownHook(false);
        ConfigurableApplicationContext context;
        try {
            context = application.run(args);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping: application first, then the broker");
            context.close();
            broker.close();
        }, "pawkit-local-stack-shutdown"));
        log.info("Pawkit local stack ready: HTTP on {}:{}, Kafka on {}, data in {}",
                context.getEnvironment().getProperty("server.address"),
                context.getEnvironment().getProperty("local.server.port"), broker.bootstrapServers(), dataDir);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
