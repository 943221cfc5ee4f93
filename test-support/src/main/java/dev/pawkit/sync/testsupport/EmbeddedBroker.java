package dev.pawkit.sync.testsupport;

import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real KRaft broker in this JVM (spring-kafka-test), for tests that start one by hand: one node,
 * so the transaction log and the offsets topic are set to a replication of 1 (exactly-once needs
 * them; their defaults want 3 brokers), and a group's first rebalance is not delayed (the default
 * 3 s would be paid by every projector that starts). Tests on Spring's test context get the same
 * settings through {@code @EmbeddedKafka}.
 */
public final class EmbeddedBroker {

    private EmbeddedBroker() {
    }

    /** A started broker whose topics get {@code partitions} partitions unless said otherwise; destroy it when done. */
    public static EmbeddedKafkaKraftBroker start(int partitions) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, partitions);
        broker.brokerProperties(Map.of(
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
        return broker;
    }
}
