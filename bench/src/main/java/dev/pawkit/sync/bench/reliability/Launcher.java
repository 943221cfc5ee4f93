package dev.pawkit.sync.bench.reliability;

import dev.pawkit.sync.bench.CardApi;
import dev.pawkit.sync.bench.ServerProcess;
import dev.pawkit.sync.schemas.sealing.KeyMaterial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the processes of one fault scenario (brokers, application instances, whole stacks) and
 * owns them: every process it started is killed when the scenario ends, also when it fails, and by
 * a shutdown hook if this JVM is stopped first, so that no JVM is left behind. Each start writes a
 * log of its own under {@code <work>/logs}.
 */
final class Launcher implements AutoCloseable {

    private static final Duration BROKER_START = Duration.ofMinutes(2);
    private static final Duration APPLICATION_START = Duration.ofMinutes(3);
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /**
     * The servers are short-lived test processes that start again and again on a shared two-core
     * machine: the C1 compiler alone starts them in far less CPU time, which is what a restart under
     * load waits for. Their throughput is not what is measured here.
     */
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    private final Path stackJar;
    private final Path work;
    private final String secret;
    /** One master key for every process of the run: they share the users' keys, and the audit opens them. */
    private final String masterKey = KeyMaterial.newMasterJson();
    private final List<ServerProcess> started = new ArrayList<>();
    private final AtomicInteger starts = new AtomicInteger();
    private final Thread killOnExit = new Thread(this::killAll, "reliability-launcher-kill-on-exit");

    Launcher(Path stackJar, Path work, String secret) throws IOException {
        this.stackJar = stackJar;
        this.work = work;
        this.secret = secret;
        Files.createDirectories(work.resolve("logs"));
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    Path work() {
        return work;
    }

    /** The secret the servers sign tokens with. */
    String secret() {
        return secret;
    }

    /** {@link BrokerProcess}: the local stack's broker on {@code port} (clients told {@code advertisedPort}), log in {@code dir}. */
    ServerProcess broker(String name, Path dir, int port, int advertisedPort) throws Exception {
        return start(name, brokerCommand("--dir", dir.toString(), "--port", Integer.toString(port),
                "--advertised-port", Integer.toString(advertisedPort)), Map.of(), BrokerProcess.READY, BROKER_START);
    }

    /**
     * Node {@code node} of a three-node cluster, launched and not waited for: a node serves only once
     * a quorum of them runs, so the caller launches all three, then waits for each.
     */
    ServerProcess clusterNode(Path dir, int node, List<Integer> ports, List<Integer> controllerPorts, String clusterId)
            throws IOException {
        return launch("broker node " + node, brokerCommand("--dir", dir.toString(), "--node", Integer.toString(node),
                "--ports", join(ports), "--controller-ports", join(controllerPorts), "--cluster-id", clusterId), Map.of());
    }

    void awaitBroker(ServerProcess broker) throws Exception {
        broker.awaitReady(BROKER_START, broker.printed(BrokerProcess.READY));
    }

    /**
     * The stack jar as the application alone (API, projector, no local broker) against
     * {@code bootstrap}, on {@code httpPort}, its state stores under {@code dataDir}; ready once
     * {@code api} reads cards. No enricher or analytics: the writes are what is checked, and two cores
     * are shared by every process.
     */
    ServerProcess application(String name, String bootstrap, int httpPort, Path dataDir, CardApi api,
            String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA, C1_ONLY, "-jar",
                stackJar.toString(), "--pawkit.kafka.bootstrap-servers=" + bootstrap));
        command.addAll(List.of(arguments));
        ServerProcess application = launch(name, applicationCommand(command), Map.of(
                "PAWKIT_DATA_DIR", dataDir.toString(), "PAWKIT_HTTP_PORT", Integer.toString(httpPort)));
        application.awaitReady(APPLICATION_START, ServerProcess.answers(api, "/api/cards", "readiness", 200));
        return application;
    }

    /** Waits until {@code process} has printed {@code text}. */
    void awaitPrinted(ServerProcess process, String text) throws Exception {
        process.awaitReady(APPLICATION_START, process.printed(text));
    }

    /** Waits until {@code api} reads cards again (an application that lost its broker or its projector). */
    void awaitServing(CardApi api) throws Exception {
        long deadline = System.nanoTime() + APPLICATION_START.toNanos();
        ServerProcess.Probe serving = ServerProcess.answers(api, "/api/cards", "readiness", 200);
        while (!ready(serving)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(api.baseUrl() + " does not serve within " + APPLICATION_START);
            }
            Thread.sleep(250);
        }
    }

    private static boolean ready(ServerProcess.Probe probe) {
        try {
            return probe.ready();
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * README's local stack (its own broker) on {@code dataDir}, launched and not waited for: a
     * second stack on the same data waits for the first to stop. See {@link #awaitStack}.
     */
    ServerProcess stack(String name, Path dataDir, int httpPort, int kafkaPort) throws IOException {
        return launch(name, applicationCommand(new ArrayList<>(List.of(JAVA, C1_ONLY, "-jar",
                stackJar.toString()))), Map.of(
                "PAWKIT_DATA_DIR", dataDir.toString(), "PAWKIT_HTTP_PORT", Integer.toString(httpPort),
                "PAWKIT_KAFKA_PORT", Integer.toString(kafkaPort)));
    }

    /** Ready as the stack says it: its own "Pawkit ready" line, so an old process still stopping on the port is not taken for it. */
    void awaitStack(ServerProcess stack) throws Exception {
        stack.awaitReady(APPLICATION_START, stack.printed("Pawkit ready at"));
    }

    private List<String> applicationCommand(List<String> command) {
        // No per-user write rate limit (the workload's users write as fast as they can), no network fetches.
        command.addAll(List.of("--pawkit.rate-limit.enabled=false", "--pawkit.enricher.enabled=false",
                "--pawkit.analytics.enabled=false"));
        return command;
    }

    private List<String> brokerCommand(String... arguments) {
        List<String> command = new ArrayList<>(List.of(JAVA, C1_ONLY, "-cp",
                System.getProperty("java.class.path"),
                BrokerProcess.class.getName()));
        command.addAll(List.of(arguments));
        return command;
    }

    private ServerProcess start(String name, List<String> command, Map<String, String> environment, String ready,
            Duration timeout) throws Exception {
        ServerProcess process = launch(name, command, environment);
        process.awaitReady(timeout, process.printed(ready));
        return process;
    }

    /** The master key (Tink JSON) every process of this run was given. */
    String masterKey() {
        return masterKey;
    }

    private ServerProcess launch(String name, List<String> command, Map<String, String> environment)
            throws IOException {
        Path log = work.resolve("logs").resolve(name.replaceAll("[^A-Za-z0-9-]+", "-") + "-" + starts.incrementAndGet()
                + ".log");
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("PAWKIT_JWT_SECRET", secret);
        env.put("PAWKIT_ENCRYPTION_MASTER_KEY", masterKey);
        synchronized (started) {
            ServerProcess process = ServerProcess.launch(name, command, env, log);
            started.add(process);
            return process;
        }
    }

    /** Kills (kill -9) every process still running: the audit is done, nothing of theirs is needed. */
    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook runs anyway.
        }
    }

    private void killAll() {
        List<ServerProcess> running;
        synchronized (started) {
            running = new ArrayList<>(started);
        }
        for (ServerProcess process : running) {
            try {
                if (process.isAlive()) {
                    process.kill();
                }
            } catch (InterruptedException | RuntimeException e) {
                System.err.println("could not kill " + process.name() + " (pid " + process.pid() + "): " + e);
            }
        }
    }

    private static String join(List<Integer> ports) {
        return String.join(",", ports.stream().map(String::valueOf).toList());
    }
}
