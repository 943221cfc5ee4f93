package dev.pawkit.sync.infra;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the system's topics at start-up when they are missing, and refuses to start when an
 * existing topic has another partition count: users are mapped to partitions by that count.
 *
 * <p>A cluster's brokers register one by one as they start (docker compose starts them beside
 * the application): a topic with replication factor 3 asked of a cluster with one broker so far
 * is refused. So creation first waits, bounded, for as many brokers as the largest replication
 * factor asks, and retries a refusal for too few brokers until the same deadline.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    /** How long one look at the cluster's brokers may take before it counts as "none answer yet". */
    private static final long PROBE_MS = 5_000;

    private TopicProvisioner() {
    }

    public static void ensure(Admin admin, Collection<NewTopic> topics, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        // Only creation needs every replica's broker: once the topics exist, an instance starts on a
        // cluster with one broker down (min.insync.replicas=2 still holds).
        Set<String> existing = existingTopics(admin, deadline);
        List<NewTopic> missing = topics.stream().filter(topic -> !existing.contains(topic.name())).toList();
        if (!missing.isEmpty()) {
            // A topic without a replication factor takes the broker default: one broker is enough to ask.
            int replicas = missing.stream().mapToInt(t -> Math.max(1, t.replicationFactor())).max().orElse(1);
            awaitBrokers(admin, replicas, deadline);
            for (NewTopic topic : missing) {
                create(admin, topic, deadline);
            }
        }
        Map<String, TopicDescription> described = describe(admin, topics, timeoutMs);
        for (NewTopic topic : topics) {
            int actual = described.get(topic.name()).partitions().size();
            if (actual != topic.numPartitions()) {
                throw new IllegalStateException("topic " + topic.name() + " has " + actual
                        + " partitions, expected " + topic.numPartitions()
                        + ": users are partitioned by that count, so it cannot change in place");
            }
        }
    }

    /** The cluster's topic names, once a broker answers (bounded by {@code deadline}). */
    private static Set<String> existingTopics(Admin admin, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        boolean logged = false;
        while (true) {
            try {
                return admin.listTopics().names().get(PROBE_MS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                if (!logged) {
                    log.warn("waiting for a broker to answer before creating topics: {}", e.toString());
                    logged = true;
                }
                Thread.sleep(500);
            }
        }
    }

    /**
     * Waits until the cluster has at least {@code needed} brokers registered, or fails once
     * {@code deadline} (a {@link System#nanoTime} instant) passes, naming what it saw.
     */
    static void awaitBrokers(Admin admin, int needed, long deadline) throws InterruptedException {
        int seen = -1;
        while (true) {
            int brokers;
            try {
                // Each look is short, so the wait says how it goes even while no broker answers
                // (the last may end a little after the deadline: a full look, not a truncated one).
                brokers = admin.describeCluster().nodes().get(PROBE_MS, TimeUnit.MILLISECONDS).size();
            } catch (ExecutionException | TimeoutException e) {
                // No broker answers yet (the first one is still starting): as good as none.
                brokers = 0;
            }
            if (brokers >= needed) {
                if (seen >= 0) {
                    log.info("{} brokers registered: creating topics (replication factor {})", brokers, needed);
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster has " + brokers + " broker(s) registered, topics need "
                        + needed + " (pawkit.kafka.replication-factor): gave up waiting for the others");
            }
            if (brokers != seen) {
                log.warn("waiting for {} brokers before creating topics (replication factor {}): {} registered so far",
                        needed, needed, brokers);
                seen = brokers;
            }
            Thread.sleep(500);
        }
    }

    /**
     * Creates the topic unless it exists. Too few brokers for its replication factor (one fenced
     * between the wait and now) is retried until the deadline; anything else fails at once.
     */
    private static void create(Admin admin, NewTopic topic, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            try {
                admin.createTopics(List.of(topic)).all().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
                log.info("created topic {} ({} partitions)", topic.name(), topic.numPartitions());
                return;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    return;
                }
                if (!(e.getCause() instanceof InvalidReplicationFactorException) || System.nanoTime() > deadline) {
                    throw e;
                }
                log.warn("topic {} not created yet: {}", topic.name(), e.getCause().getMessage());
                Thread.sleep(500);
            }
        }
    }

    private static long remainingMs(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
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
