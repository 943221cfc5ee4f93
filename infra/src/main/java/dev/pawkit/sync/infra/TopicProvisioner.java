package dev.pawkit.sync.infra;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the system's topics at start-up when they are missing, and refuses to start when an
 * existing topic has another partition count: users are mapped to partitions by that count.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

    private TopicProvisioner() {
    }

    public static void ensure(Admin admin, Collection<NewTopic> topics, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        for (NewTopic topic : topics) {
            try {
                admin.createTopics(List.of(topic)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
                log.info("created topic {} ({} partitions)", topic.name(), topic.numPartitions());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        Map<String, TopicDescription> existing = describe(admin, topics, timeoutMs);
        for (NewTopic topic : topics) {
            int actual = existing.get(topic.name()).partitions().size();
            if (actual != topic.numPartitions()) {
                throw new IllegalStateException("topic " + topic.name() + " has " + actual
                        + " partitions, expected " + topic.numPartitions()
                        + ": users are partitioned by that count, so it cannot change in place");
            }
        }
    }

    /** Newly created topics take a moment to reach the broker's metadata: retry until they do. */
    private static Map<String, TopicDescription> describe(Admin admin, Collection<NewTopic> topics, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            try {
                return admin.describeTopics(topics.stream().map(NewTopic::name).toList())
                        .allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
