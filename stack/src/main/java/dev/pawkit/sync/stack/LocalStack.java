package dev.pawkit.sync.stack;

import dev.pawkit.sync.api.PawkitApplication;
import dev.pawkit.sync.runtime.ProjectorRunner;
import dev.pawkit.sync.runtime.StackSettings;
import dev.pawkit.sync.infra.LocalKafka;
import dev.pawkit.sync.infra.LocalKafkaBroker;
import dev.pawkit.sync.infra.LocalKafkaCluster;
import dev.pawkit.sync.operator.ViewsCommand;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.LogFile;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;

/**
 * The jar's entry, and everything on one machine in one process: a real single-node KRaft broker
 * (data under {@code $PAWKIT_DATA_DIR/kafka}), then the API with its projector (stores under
 * {@code $PAWKIT_DATA_DIR/streams}), analytics and the enricher. SIGTERM closes the application
 * first (projector commits, requests drain), then the broker. The same jar runs each part alone:
 * <pre>
 *   java -jar pawkit-local-stack.jar                   the local stack (or, with PAWKIT_KAFKA_BOOTSTRAP, the API process alone)
 *   java -jar pawkit-local-stack.jar cluster           the same on three brokers (replication factor 3, min.insync.replicas 2)
 *   java -jar pawkit-local-stack.jar enricher          the metadata enricher alone (no HTTP), against pawkit.kafka.bootstrap-servers
 *   java -jar pawkit-local-stack.jar analytics         analytics and its /api/stats reads alone
 *   java -jar pawkit-local-stack.jar rebuild|switch|drop   the operator's view commands
 * </pre>
 */
public final class LocalStack {

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
        boolean cluster = args.length > 0 && args[0].equals("cluster");
        if (cluster) {
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        StackSettings settings = StackSettings.from(args);
        if (cluster && settings.externalBootstrap().isPresent()) {
            // Three brokers of our own or an existing cluster: asking for both is a mistake, not a choice to guess.
            System.err.println("cluster runs its own three brokers: unset PAWKIT_KAFKA_BOOTSTRAP (or pawkit.kafka.bootstrap-servers)"
                    + " to use it, or drop 'cluster' to run the application against " + settings.externalBootstrap().get());
            System.exit(2);
        }
        if (settings.externalBootstrap().isPresent()) {
            // An existing cluster (docker-compose.yml, production): the application alone, no local broker.
            System.setProperty("pawkit.kafka.bootstrap-servers", settings.externalBootstrap().get());
            PawkitApplication.main(args);
            return;
        }
        Path dataDir = settings.dataDir();
        quietConsole(settings.logFile());
        System.out.printf("Pawkit starting (data in %s, logs in %s)%n", settings.dataDirAsGiven(), settings.logFile());
        // Held until this process ends: a second stack on the same data waits instead of running beside it.
        DataDirLock.acquire(dataDir, System.out);

        int port = settings.kafkaPort();
        LocalKafka broker = cluster
                // The production shape on this machine: three brokers on the port and the two after it,
                // logs under <data>/cluster/broker-N, every topic on all three (a write needs two).
                ? LocalKafkaCluster.start(dataDir.resolve("cluster"), List.of(port, port + 1, port + 2))
                : LocalKafkaBroker.start(dataDir.resolve("kafka"), port);
        if (cluster) {
            System.setProperty("pawkit.kafka.replication-factor", String.valueOf(LocalKafkaCluster.NODES));
        }
        String bootstrapServers = broker.bootstrapServers();
        // System properties outrank application.yml: the app talks to this broker and shares the data dir.
        System.setProperty("pawkit.kafka.bootstrap-servers", bootstrapServers);
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
            System.out.println("Pawkit stopping ...");
            log().info("stopping: application first, then the broker");
            context.close();
            broker.close();
            System.out.println("Pawkit stopped");
        }, "pawkit-local-stack-shutdown"));
        String url = "http://" + context.getEnvironment().getProperty("server.address") + ":"
                + context.getEnvironment().getProperty("local.server.port");
        // Ready as README means it: the projector RUNNING, so GET /api/cards answers 200 (the
        // context is up before the projector has its partitions, and reads answered 503 meanwhile).
        if (!projectorRunning(context.getBean(ProjectorRunner.class), Duration.ofMinutes(5))) {
            System.out.printf("Pawkit started at %s, but its projector is not RUNNING after 5 minutes: see %s%n", url,
                    settings.logFile());
            return;
        }
        log().info("Pawkit local stack ready: HTTP on {}, Kafka on {}, data in {}", url, bootstrapServers, dataDir);
        System.out.printf(Locale.ROOT, "Pawkit ready at %s in %.1f s (data in %s)%n", url,
                ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0, settings.dataDirAsGiven());
    }

    private static boolean projectorRunning(ProjectorRunner projector, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!projector.isRunning()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /**
     * Full logs (the broker's start alone is about 1,500 lines) go to a file under the data
     * directory; the console keeps errors only (the broker and the clients warn routinely while topics are
     * created), so the run command prints a few lines and
     * then the ready line. Spring Boot's own logging system, set up before the broker logs anything;
     * the same settings, as system properties, hold when the application sets it up again.
     */
    private static void quietConsole(Path logFile) {
        System.setProperty("logging.file.name", logFile.toString());
        System.setProperty("logging.threshold.console", "ERROR");
        StandardEnvironment env = new StandardEnvironment();
        LoggingSystem logging = LoggingSystem.get(LocalStack.class.getClassLoader());
        logging.beforeInitialize();
        logging.initialize(new LoggingInitializationContext(env), null, LogFile.get(env));
    }

    /** Looked up when first used, after {@link #quietConsole} chose where logs go. */
    private static Logger log() {
        return LoggerFactory.getLogger(LocalStack.class);
    }
}
