package dev.pawkit.sync.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.infra.TopicProvisioner;
import dev.pawkit.sync.testsupport.ScramBroker;
import dev.pawkit.sync.testsupport.TestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator commands against a broker that only speaks SASL SCRAM to clients, given nothing but
 * {@code --spring.kafka.*} arguments, as README tells an operator to: a rebuild that keeps its views
 * (its Kafka Streams client created their changelogs, so it got past the listener), then a drop
 * that deletes them. A wrong password stops the command at once, saying what to fix.
 */
class ViewsCommandScramTest {

    private static final String USER = "pawkit-operator";
    private static final String PASSWORD = "scram-secret-" + UUID.randomUUID();

    private static ScramBroker broker;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ScramBroker.start(USER, PASSWORD);
        try (Admin admin = Admin.create(broker.clientSettings(USER, PASSWORD))) {
            TopicProvisioner.ensure(admin, PawkitTopics.definitions(6, (short) 1), 60_000);
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void rebuildAndDropReachTheClusterWithTheSpringKafkaSettingsOnly() throws Exception {
        String rebuildApp = "scram-rebuild-" + UUID.randomUUID();
        String changelog = rebuildApp + "-cards-changelog";

        int rebuilt = ViewsCommand.main("rebuild", arguments(PASSWORD, "--no-compare", "--keep",
                "--rebuild-app", rebuildApp));

        assertThat(rebuilt).isZero();
        assertThat(topics()).as("the kept views' changelogs, created by the rebuild's Streams client")
                .contains(changelog);

        int dropped = ViewsCommand.main("drop", arguments(PASSWORD, "--app", rebuildApp));

        assertThat(dropped).isZero();
        assertThat(topics()).noneMatch(topic -> topic.startsWith(rebuildApp));
    }

    @Test
    void aWrongPasswordStopsTheCommandWithAClearMessage() {
        // Bounded: a command that retries authentication for ever is the failure this test is about.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                assertThatThrownBy(() -> ViewsCommand.main("drop", arguments("not-the-password", "--app", "any")))
                        .hasMessageContaining("Kafka refused the credentials for " + broker.bootstrapServers())
                        .hasStackTraceContaining("Authentication failed"));
    }

    /**
     * The spring.kafka.* arguments of README's "Connecting to your cluster", then the verb's own;
     * the data directory holds the application's master key, as the stack's does (views are sealed).
     */
    private String[] arguments(String password, String... own) throws IOException {
        Path masterKey = dataDir.resolve("master-key.json");
        if (!Files.exists(masterKey)) {
            Files.writeString(masterKey, TestKeys.MASTER_KEY);
        }
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers", broker.bootstrapServers(),
                "--spring.kafka.security.protocol", "SASL_PLAINTEXT",
                "--spring.kafka.properties.sasl.mechanism", ScramBroker.MECHANISM,
                "--spring.kafka.properties.sasl.jaas.config", ScramBroker.jaasConfig(USER, password),
                "--pawkit.data-dir=" + dataDir));
        arguments.addAll(List.of(own));
        return arguments.toArray(String[]::new);
    }

    private static Set<String> topics() throws Exception {
        try (Admin admin = Admin.create(broker.clientSettings(USER, PASSWORD))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }
}
