package dev.pawkit.sync.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * The application id this instance's projector runs under. After a {@code switch} to rebuilt views
 * the data directory records the new id: starting the old one again would decide the command log
 * a second time (duplicate events, kept forever), so the recorded id wins over the default and a
 * different explicit id is refused.
 */
@Component
public class ProjectorIdentity {

    public static final String DEFAULT_ID = "pawkit-projector";
    static final String MARKER = "projector-application-id";

    private final String applicationId;

    ProjectorIdentity(PawkitProperties properties) {
        this.applicationId = resolve(properties.dataDir(), properties.projector().applicationId());
    }

    public String applicationId() {
        return applicationId;
    }

    public static String resolve(Path dataDir, String configured) {
        Path marker = dataDir.resolve(MARKER);
        if (!Files.exists(marker)) {
            return configured;
        }
        String switched = read(marker);
        if (configured.equals(switched) || configured.equals(DEFAULT_ID)) {
            return switched;
        }
        throw new IllegalStateException("the projector of " + dataDir + " was switched to application id "
                + switched + " (" + marker + "); refusing to start it as " + configured);
    }

    /** Recorded by the switch, in the data directory the stack runs on. */
    public static void record(Path dataDir, String applicationId) {
        try {
            Files.createDirectories(dataDir);
            Files.writeString(dataDir.resolve(MARKER), applicationId + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path marker) {
        try {
            return Files.readString(marker, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
