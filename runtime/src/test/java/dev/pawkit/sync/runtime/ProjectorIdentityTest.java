package dev.pawkit.sync.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After a switch, the data directory's projector never starts under its old application id again. */
class ProjectorIdentityTest {

    @TempDir
    Path dataDir;

    @Test
    void withoutASwitchTheConfiguredIdIsUsed() {
        assertThat(ProjectorIdentity.resolve(dataDir, "pawkit-projector")).isEqualTo("pawkit-projector");
        assertThat(ProjectorIdentity.resolve(dataDir, "custom")).isEqualTo("custom");
    }

    @Test
    void afterASwitchTheDefaultStartsAsTheNewIdAndAnotherExplicitIdIsRefused() {
        ProjectorIdentity.record(dataDir, "pawkit-projector-v2");
        assertThat(ProjectorIdentity.resolve(dataDir, "pawkit-projector")).isEqualTo("pawkit-projector-v2");
        assertThat(ProjectorIdentity.resolve(dataDir, "pawkit-projector-v2")).isEqualTo("pawkit-projector-v2");
        assertThatThrownBy(() -> ProjectorIdentity.resolve(dataDir, "pawkit-projector-v1"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("pawkit-projector-v2");
    }
}
