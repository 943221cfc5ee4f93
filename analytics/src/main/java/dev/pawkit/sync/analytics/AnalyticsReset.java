package dev.pawkit.sync.analytics;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throws every analytics number away so that the next start counts the event log again from its
 * first event: stops the running instance, deletes its local state, the internal topics
 * (changelogs, repartition topic) and the consumer group with its offsets. Only one instance may
 * run analytics meanwhile: another member of the group would keep counting into topics being
 * deleted, so the reset is refused while there is one.
 */
public final class AnalyticsReset {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsReset.class);
    private static final long TIMEOUT_SECONDS = 30;

    /** Other instances are members of the analytics group: stop their analytics first. */
    public static final class OtherInstancesException extends RuntimeException {
        public OtherInstancesException(String message) {
            super(message);
        }
    }

    private AnalyticsReset() {
    }

    /** Refuses (and leaves {@code running} untouched) while other instances are in the group. */
    public static void checkAlone(Admin admin, CardAnalytics running) throws Exception {
        String groupId = running.config().applicationId();
        Set<String> ours = running.consumerClientIds();
        ConsumerGroupDescription group;
        try {
            group = admin.describeConsumerGroups(List.of(groupId)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .get(groupId);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return;
            }
            throw e;
        }
        List<String> others = group.members().stream().map(MemberDescription::clientId)
                .filter(clientId -> !ours.contains(clientId)).toList();
        if (!others.isEmpty()) {
            throw new OtherInstancesException(others.size() + " other member(s) of " + groupId + " (" + others
                    + "): set pawkit.analytics.enabled=false on the other instances (or wait for a stopped one's"
                    + " session to time out) and reset again");
        }
    }

    /** Stops {@code running} and drops all analytics state; the caller starts a new instance afterwards. */
    public static void dropAll(Admin admin, CardAnalytics running) throws Exception {
        String applicationId = running.config().applicationId();
        running.closeAndCleanUp();
        List<String> topics = AnalyticsStores.internalTopics(applicationId);
        Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        admin.deleteTopics(topics.stream().filter(existing::contains).toList()).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        deleteGroup(admin, applicationId);
        awaitGone(admin, topics);
        log.info("analytics state of {} dropped: {} and the consumer group", applicationId, topics);
    }

    private static void deleteGroup(Admin admin, String groupId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                admin.deleteConsumerGroups(List.of(groupId)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof GroupIdNotFoundException) {
                    return;
                }
                if (!(e.getCause() instanceof GroupNotEmptyException) || System.nanoTime() > deadline) {
                    throw e;
                }
                // A closed client may still count as a member until the coordinator sees it leave.
                removeMembers(admin, groupId);
                Thread.sleep(200);
            }
        }
    }

    private static void removeMembers(Admin admin, String groupId) throws InterruptedException {
        try {
            admin.removeMembersFromConsumerGroup(groupId, new RemoveMembersFromConsumerGroupOptions())
                    .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.debug("removing members of {} failed, retrying: {}", groupId, e.toString());
        }
    }

    /** Topic deletion completes asynchronously; a start before it ends would find the old topics. */
    private static void awaitGone(Admin admin, List<String> topics) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).stream().anyMatch(topics::contains)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("analytics topics still exist after deletion: " + topics);
            }
            Thread.sleep(100);
        }
    }
}
