package dev.pawkit.sync.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topic creation on a cluster with fewer brokers than the replication factor: it waits for the
 * others (bounded) and then says why it gives up, instead of failing at once on the broker's
 * refusal; topics that exist need no wait. (The wait ending well, brokers registering meanwhile, is in ClusterBrokerLossTest.)
 */
class TopicProvisionerBrokerWaitTest {

    private static LocalKafkaBroker broker;
    @TempDir
    static Path logDir;

    @BeforeAll
    static void startOneBroker() throws Exception {
        broker = LocalKafkaBroker.start(logDir, FreePorts.pick());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void waitsForAsManyBrokersAsTheReplicationFactorThenGivesUpSayingWhy() throws Exception {
        try (Admin admin = admin()) {
            assertThatThrownBy(() -> TopicProvisioner.ensure(admin,
                    List.of(new NewTopic("three-replicas", 1, (short) 3)), 2_000))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("1 broker(s) registered, topics need 3");
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain("three-replicas");
        }
    }

    @Test
    void createsAtOnceWhenEnoughBrokersAreRegistered() throws Exception {
        try (Admin admin = admin()) {
            TopicProvisioner.ensure(admin, List.of(new NewTopic("one-replica", 1, (short) 1)), 30_000);
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("one-replica");
        }
    }

    @Test
    void existingTopicsNeedNoWaitForBrokers() throws Exception {
        try (Admin admin = admin()) {
            TopicProvisioner.ensure(admin, List.of(new NewTopic("already-there", 1, (short) 1)), 30_000);
            // As an instance restarting while one of three brokers is down: its topics exist, it starts.
            TopicProvisioner.ensure(admin, List.of(new NewTopic("already-there", 1, (short) 3)), 2_000);
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }
}
