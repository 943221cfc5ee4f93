package dev.pawkit.sync.projector;

import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.infra.StreamsDefaults;
import dev.pawkit.sync.schemas.PawkitSerdes;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Rebuilds every read view (cards, change feed and its sequence, history) from the event topic
 * alone, into fresh state under an application id of its own, while the live system keeps
 * serving; reports progress; then compares the rebuilt views with the live ones entry by entry,
 * through both changelogs. The rebuilt views stay beside the live ones ({@code keep}) or are
 * dropped after the comparison.
 */
public final class ViewRebuild {

    private static final int RECHECK_ROUNDS = 5;
    /**
     * The projector's default budget: a rebuild is the operator's tool and runs in a process of its
     * own (in one with a projector, as in tests, it bounds its stores apart from the projector's).
     */
    static final long ROCKSDB_OFF_HEAP_BYTES = 64L * 1024 * 1024;

    /**
     * @param serdes the system's serdes, sealing under the users' keys (an erased user's events fold to nothing)
     * @param liveApplicationId the running projector whose views are compared
     * @param rebuildApplicationId where the rebuilt views live (state, changelogs, offsets)
     * @param compare false to rebuild only (no live projector to compare with)
     * @param keep keep the rebuilt views beside the live ones instead of dropping them afterwards
     */
    public record Options(PawkitSerdes serdes, KafkaClientSettings kafka, String liveApplicationId, String rebuildApplicationId,
            Path stateDir, boolean compare, boolean keep, Duration progressEvery) {
    }

    public record Report(long events, Duration took, List<ViewComparison> comparisons) {

        public double eventsPerSecond() {
            return events / Math.max(0.001, took.toMillis() / 1000.0);
        }

        public boolean identical() {
            return comparisons.stream().allMatch(ViewComparison::identical);
        }
    }

    private ViewRebuild() {
    }

    /** The views compared, each the same store in the live projector and in the rebuild, with its value serde. */
    static Map<String, Serde<?>> views(PawkitSerdes serdes) {
        Map<String, Serde<?>> views = new LinkedHashMap<>();
        views.put(Stores.CARDS, serdes.cards());
        views.put(Stores.CHANGES, Serdes.String());
        views.put(Stores.USER_SEQUENCE, Serdes.Long());
        views.put(Stores.HISTORY, serdes.events());
        return Collections.unmodifiableMap(views);
    }

    public static Report run(Options options, PrintStream out) throws Exception {
        RebuildProgress progress = new RebuildProgress();
        try (Admin admin = Admin.create(options.kafka().admin(Map.of()))) {
            Map<TopicPartition, Long> target = eventLogEnd(admin);
            progress.target(target.values().stream().mapToLong(Long::longValue).sum());
            out.printf("rebuilding views from %s (%,d offsets) as %s%n", PawkitTopics.CARD_EVENTS, progress.targetEvents(),
                    options.rebuildApplicationId());
            long started = System.nanoTime();
            KafkaStreams streams = new KafkaStreams(ViewRebuildTopology.build(options.serdes(), progress), properties(options));
            try {
                streams.start();
                awaitFolded(admin, options, streams, target, progress, out);
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                out.printf("rebuilt: %,d events in %.1f s = %,.0f events/s%n", progress.foldedEvents(),
                        took.toMillis() / 1000.0, progress.foldedEvents() / Math.max(0.001, took.toMillis() / 1000.0));
                List<ViewComparison> comparisons = options.compare()
                        ? compare(admin, options, streams, progress, out) : List.of();
                return new Report(progress.foldedEvents(), took, comparisons);
            } finally {
                streams.close(Duration.ofSeconds(30));
                // Kept views are caught up later by a new member of this group: it must not wait
                // for this one's session to time out.
                removeMembers(admin, options.rebuildApplicationId());
                if (!options.keep()) {
                    streams.cleanUp();
                    drop(admin, options.rebuildApplicationId(), out);
                }
            }
        }
    }

    /**
     * Brings views rebuilt earlier (kept under {@code options.rebuildApplicationId()}) up to the
     * current end of the event log: restores them from their changelogs, folds what was appended
     * since, commits. Returns the events folded.
     */
    public static long catchUp(Options options, PrintStream out) throws Exception {
        RebuildProgress progress = new RebuildProgress();
        try (Admin admin = Admin.create(options.kafka().admin(Map.of()))) {
            KafkaStreams streams = new KafkaStreams(ViewRebuildTopology.build(options.serdes(), progress), properties(options));
            try {
                streams.start();
                awaitFolded(admin, options, streams, eventLogEnd(admin), progress, out);
            } finally {
                streams.close(Duration.ofSeconds(30));
                removeMembers(admin, options.rebuildApplicationId());
            }
            out.printf("views of %s caught up: %,d more events folded%n", options.rebuildApplicationId(),
                    progress.foldedEvents());
            return progress.foldedEvents();
        }
    }

    /**
     * Live snapshot first, then the log's end, then the rebuild caught up to that end: every live
     * entry's event is then folded. An entry the live projector changed meanwhile may still differ;
     * such entries are compared again on newer snapshots, a few times.
     */
    private static List<ViewComparison> compare(Admin admin, Options options, KafkaStreams streams,
            RebuildProgress progress, PrintStream out) throws Exception {
        List<ViewComparison> comparisons = new ArrayList<>();
        for (Map.Entry<String, Serde<?>> entry : views(options.serdes()).entrySet()) {
            String view = entry.getKey();
            ViewComparison comparison = null;
            for (int round = 0; round <= RECHECK_ROUNDS && (comparison == null || !comparison.identical()); round++) {
                Map<String, Long> live = ChangelogSnapshot.read(options.kafka(),
                        ChangelogSnapshot.topic(options.liveApplicationId(), view), entry.getValue());
                awaitFolded(admin, options, streams, eventLogEnd(admin), progress, null);
                Map<String, Long> rebuilt = ChangelogSnapshot.read(options.kafka(),
                        ChangelogSnapshot.topic(options.rebuildApplicationId(), view), entry.getValue());
                comparison = comparison == null ? ViewComparison.of(view, live, rebuilt) : comparison.recheck(live, rebuilt);
            }
            out.printf("%-14s compared %,d, differ %,d%s%n", view, comparison.compared(), comparison.differing().size(),
                    comparison.identical() ? "" : " e.g. " + comparison.differing().subList(0, Math.min(5,
                            comparison.differing().size())));
            comparisons.add(comparison);
        }
        return comparisons;
    }

    /** Waits until the rebuild has committed everything up to {@code target}, printing progress. */
    static void awaitFolded(Admin admin, Options options, KafkaStreams streams, Map<TopicPartition, Long> target,
            RebuildProgress progress, PrintStream out) throws Exception {
        long lastPrint = System.nanoTime();
        long foldedAtLastPrint = progress.foldedEvents();
        while (!committedUpTo(admin, options.rebuildApplicationId(), target)) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("the rebuild stopped: " + streams.state());
            }
            Thread.sleep(100);
            long now = System.nanoTime();
            if (out != null && now - lastPrint >= options.progressEvery().toNanos()) {
                out.println(progress.describe(foldedAtLastPrint, Duration.ofNanos(now - lastPrint)));
                lastPrint = now;
                foldedAtLastPrint = progress.foldedEvents();
            }
        }
    }

    private static boolean committedUpTo(Admin admin, String groupId, Map<TopicPartition, Long> target) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        return target.entrySet().stream().allMatch(end -> end.getValue() == 0
                || (committed.get(end.getKey()) != null && committed.get(end.getKey()).offset() >= end.getValue()));
    }

    /** The committed end of every event partition: what a read_committed reader will have seen at the end. */
    static Map<TopicPartition, Long> eventLogEnd(Admin admin) throws Exception {
        Set<TopicPartition> partitions = admin.describeTopics(List.of(PawkitTopics.CARD_EVENTS)).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(PawkitTopics.CARD_EVENTS).partitions().stream()
                .map(p -> new TopicPartition(PawkitTopics.CARD_EVENTS, p.partition())).collect(Collectors.toSet());
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())),
                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    static Properties properties(Options options) {
        // Exactly-once here: stores, changelogs and input offsets commit together, so the rebuilt
        // changelogs read back are exactly the folded events, never one twice.
        Properties props = StreamsDefaults.common(options.rebuildApplicationId(), options.kafka(),
                options.stateDir(), ROCKSDB_OFF_HEAP_BYTES, ProjectorConfig.ROCKSDB_MEMTABLE_BYTES);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L * 1024 * 1024);
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        props.put(StreamsConfig.consumerPrefix("max.poll.records"), 2000);
        return props;
    }

    /**
     * Removes a closed Streams client's lingering membership (Kafka Streams does not leave its group
     * on close: its members would count until their session times out). False if there is no group.
     */
    static boolean removeMembers(Admin admin, String groupId) throws Exception {
        ConsumerGroupDescription group;
        try {
            group = admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId)
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false;
            }
            throw e;
        }
        if (!group.members().isEmpty()) {
            admin.removeMembersFromConsumerGroup(groupId, new RemoveMembersFromConsumerGroupOptions())
                    .all().get(30, TimeUnit.SECONDS);
        }
        return true;
    }

    /** Drops the views (or a whole projector) of an application id: its internal topics and its consumer group. */
    static void drop(Admin admin, String applicationId, PrintStream out) throws Exception {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        // Exactly the changelogs of our stores: another application id may share this one as a prefix.
        admin.deleteTopics(Stores.ALL.stream().map(store -> ChangelogSnapshot.topic(applicationId, store))
                .filter(existing::contains).toList()).all().get(30, TimeUnit.SECONDS);
        if (!removeMembers(admin, applicationId)) {
            out.printf("dropped the views of %s%n", applicationId);
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                admin.deleteConsumerGroups(List.of(applicationId)).all().get(30, TimeUnit.SECONDS);
                break;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof GroupIdNotFoundException) {
                    break;
                }
                if (!(e.getCause() instanceof GroupNotEmptyException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
        out.printf("dropped the views of %s%n", applicationId);
    }
}
