package dev.pawkit.sync.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes an exactly-once Kafka Streams application rebuild its stores from their changelogs after a
 * crash, as Kafka Streams means to, whatever checkpoint files the crash left behind.
 *
 * <p>Under exactly-once a store may hold writes of a transaction that was then aborted: RocksDB runs
 * without its write-ahead log, and a memtable flush can put those writes on disk before the commit.
 * Kafka Streams therefore trusts a store only through its checkpoint file, which must exist only
 * after a clean close; a task that finds stores without one wipes them and restores them from the
 * changelog (KAFKA-7192). Kafka Streams 4.1 breaks that rule: its state updater writes a checkpoint
 * when a task finishes restoring and nothing removes it while the task runs, so after a kill -9
 * the restart trusts stale offsets, restores only the changelog's tail over stores that may hold
 * aborted writes, and skips the wipe (KAFKA-20685, fixed in 4.2; trunk and 4.3 not affected). In
 * this projector an aborted write left in the idempotency store would make the retried command
 * replay an outcome whose event was never committed: an acknowledged write lost from the log.
 *
 * <p>So: the application's close writes a marker once Kafka Streams closed cleanly (every task
 * checkpointed as of its last commit); the next start consumes the marker, and without one deletes
 * every task's checkpoint file before Kafka Streams starts, which then treats the tasks as
 * corrupted and restores them from their changelogs. The cost is that full restore after every
 * crash, which is Kafka Streams' own exactly-once design; a clean stop keeps its checkpoints.
 * Hand-written because Kafka 4.1 has no setting for it; it can go once the project runs a Kafka with
 * KAFKA-20685 fixed.
 */
public final class CrashCheckpoints {

    /** Kafka Streams' name for a task's checkpoint file, in {@code <state.dir>/<application.id>/<task>/}. */
    static final String CHECKPOINT_FILE = ".checkpoint";

    private CrashCheckpoints() {
    }

    /**
     * Before the application's {@code KafkaStreams} starts: true when its last run closed cleanly
     * (the checkpoints stay); otherwise every task checkpoint under the application's state
     * directory is deleted and false returned. Either way the marker is gone, so that a crash of
     * this run is seen as one by the next.
     */
    public static boolean beforeStart(Path stateDir, String applicationId) {
        Path marker = marker(stateDir, applicationId);
        try {
            if (Files.deleteIfExists(marker)) {
                return true;
            }
            for (Path checkpoint : taskCheckpoints(stateDir.resolve(applicationId))) {
                Files.deleteIfExists(checkpoint);
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** After the application's {@code KafkaStreams.close} returned true (every thread stopped). */
    public static void closedCleanly(Path stateDir, String applicationId) {
        try {
            Files.createDirectories(stateDir);
            Files.writeString(marker(stateDir, applicationId), "closed cleanly\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Beside the application's directory, not in it: Kafka Streams owns what is inside. */
    static Path marker(Path stateDir, String applicationId) {
        return stateDir.resolve(applicationId + ".closed-cleanly");
    }

    private static List<Path> taskCheckpoints(Path applicationDir) throws IOException {
        if (!Files.isDirectory(applicationDir)) {
            return List.of();
        }
        try (Stream<Path> tasks = Files.list(applicationDir)) {
            return tasks.filter(Files::isDirectory).map(task -> task.resolve(CHECKPOINT_FILE)).filter(Files::exists)
                    .toList();
        }
    }
}
