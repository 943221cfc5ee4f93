package dev.pawkit.sync.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A crash leaves checkpoints that exactly-once must not trust; a clean close keeps them. */
class CrashCheckpointsTest {

    @TempDir
    Path stateDir;

    @Test
    void afterACrashEveryTaskCheckpointIsDeletedAndTheStoresAreLeftForKafkaStreamsToWipe() throws Exception {
        Path task = taskWithCheckpoint("pawkit-projector", "0_1");
        Path store = Files.createDirectories(task.resolve("rocksdb").resolve("cards"));
        Path other = taskWithCheckpoint("pawkit-analytics", "0_1");

        assertThat(CrashCheckpoints.beforeStart(stateDir, "pawkit-projector")).isFalse();

        assertThat(task.resolve(CrashCheckpoints.CHECKPOINT_FILE)).doesNotExist();
        assertThat(store).exists();
        // Another application's state is its own business.
        assertThat(other.resolve(CrashCheckpoints.CHECKPOINT_FILE)).exists();
    }

    @Test
    void afterACleanCloseTheCheckpointsAreKeptOnceAndTheNextCrashIsSeenAsOne() throws Exception {
        Path task = taskWithCheckpoint("pawkit-projector", "0_3");
        CrashCheckpoints.closedCleanly(stateDir, "pawkit-projector");

        assertThat(CrashCheckpoints.beforeStart(stateDir, "pawkit-projector")).isTrue();
        assertThat(task.resolve(CrashCheckpoints.CHECKPOINT_FILE)).exists();

        // This run is killed before it closes: its start consumed the marker.
        assertThat(CrashCheckpoints.beforeStart(stateDir, "pawkit-projector")).isFalse();
        assertThat(task.resolve(CrashCheckpoints.CHECKPOINT_FILE)).doesNotExist();
    }

    @Test
    void aFirstStartFindsNothingToDistrust() {
        assertThat(CrashCheckpoints.beforeStart(stateDir.resolve("not-yet"), "pawkit-projector")).isFalse();
    }

    private Path taskWithCheckpoint(String applicationId, String taskId) throws Exception {
        Path task = Files.createDirectories(stateDir.resolve(applicationId).resolve(taskId));
        Files.writeString(task.resolve(CrashCheckpoints.CHECKPOINT_FILE), "0\n1\npawkit-projector-cards-changelog 1 42\n");
        return task;
    }
}
