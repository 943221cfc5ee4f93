package dev.pawkit.sync.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.infra.FreePorts;
import dev.pawkit.sync.infra.PawkitTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack jar's {@code cluster} verb as README runs it: three brokers of its own on the Kafka port
 * and the two after it, every topic on all three with {@code min.insync.replicas} 2, the
 * application on them, the same calm console and ready line; and refused with exit 2 beside an
 * external cluster, since asking for both is a mistake.
 */
class LocalStackClusterTest {

    @TempDir
    Path dataDir;

    private final int httpPort = LocalStackClient.freePort();
    private final LocalStackClient api = new LocalStackClient(httpPort, "cluster-user", Duration.ofSeconds(30));
    private Process stack;

    @AfterEach
    void stopStack() throws InterruptedException {
        if (stack != null && stack.isAlive()) {
            stack.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void threeBrokersEveryTopicOnAllThreeAndTheApplicationOnThem() throws Exception {
        int kafkaPort = threeFreePorts();
        Path output = Path.of("target", "local-stack-cluster-" + httpPort + ".log");
        stack = api.startStack(dataDir, kafkaPort, output, Duration.ofSeconds(300), List.of("cluster"));

        assertThat(api.createNote(UUID.randomUUID().toString()).statusCode()).isEqualTo(201);
        awaitPrinted(output, "Pawkit ready at http://127.0.0.1:" + httpPort);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(3);
            for (String topic : List.of(PawkitTopics.CARD_COMMANDS, PawkitTopics.CARD_EVENTS, PawkitTopics.USER_KEYS)) {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get(topic);
                assertThat(description.partitions()).as(topic).allSatisfy(
                        partition -> assertThat(partition.replicas()).as(topic + " replicas").hasSize(3));
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
                assertThat(config.get("min.insync.replicas").value()).as(topic).isEqualTo("2");
            }
        }
        assertThat(dataDir.resolve("cluster")).isDirectory();
        assertThat(dataDir.resolve("kafka")).doesNotExist();

        stack.destroy();
        assertThat(stack.waitFor(90, TimeUnit.SECONDS)).as("SIGTERM stopped the cluster stack").isTrue();
    }

    @Test
    void besideAnExternalClusterItIsRefusedWithExit2() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, LocalStack.class.getName(), "cluster").redirectErrorStream(true);
        builder.environment().put("PAWKIT_KAFKA_BOOTSTRAP", "127.0.0.1:9");
        builder.environment().put("PAWKIT_DATA_DIR", dataDir.toString());
        stack = builder.start();
        assertThat(stack.waitFor(60, TimeUnit.SECONDS)).as("it exits").isTrue();
        String printed = new String(stack.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(stack.exitValue()).as(printed).isEqualTo(2);
        assertThat(printed).contains("cluster runs its own three brokers");
    }

    /** A free port whose next two are free too (the cluster's brokers take all three). */
    private static int threeFreePorts() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = FreePorts.pick();
            if (FreePorts.bindable(port + 1) && FreePorts.bindable(port + 2)) {
                return port;
            }
        }
        throw new IllegalStateException("no three consecutive free ports");
    }

    private static void awaitPrinted(Path output, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.readString(output).contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("never printed '" + text + "'; see " + output.toAbsolutePath());
    }
}
