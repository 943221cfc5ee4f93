package dev.pawkit.sync.api;

import dev.pawkit.sync.projector.ViewRebuild;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code java -jar pawkit-local-stack.jar rebuild [options]}: rebuilds every view from the event
 * log into fresh state beside the running system and compares them with its live views. Exit
 * status 0 when every view is identical, 1 otherwise.
 *
 * <pre>
 *   --bootstrap host:port    the cluster (default: PAWKIT_KAFKA_BOOTSTRAP, else 127.0.0.1:PAWKIT_KAFKA_PORT or 9092)
 *   --live-app id            the live projector's application id (default pawkit-projector)
 *   --rebuild-app id         the rebuilt views' application id (default pawkit-rebuild-&lt;time&gt;)
 *   --keep                   keep the rebuilt views (state, changelogs) instead of dropping them
 *   --no-compare             rebuild only
 * </pre>
 */
public final class RebuildCommand {

    private RebuildCommand() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String bootstrap = options.getOrDefault("bootstrap", defaultBootstrap());
        String rebuildApp = options.getOrDefault("rebuild-app", "pawkit-rebuild-" + System.currentTimeMillis());
        Path stateDir = Path.of(env("PAWKIT_DATA_DIR", "./data")).resolve("rebuild").resolve(rebuildApp);
        ViewRebuild.Report report = ViewRebuild.run(new ViewRebuild.Options(bootstrap,
                options.getOrDefault("live-app", "pawkit-projector"), rebuildApp, stateDir,
                !options.containsKey("no-compare"), options.containsKey("keep"), Duration.ofSeconds(1)), System.out);
        System.out.println(report.identical() ? "rebuilt views are identical to the live views"
                : "REBUILT VIEWS DIFFER FROM THE LIVE VIEWS");
        System.exit(report.identical() ? 0 : 1);
    }

    private static String defaultBootstrap() {
        String cluster = System.getenv("PAWKIT_KAFKA_BOOTSTRAP");
        return cluster != null && !cluster.isBlank() ? cluster : "127.0.0.1:" + env("PAWKIT_KAFKA_PORT", "9092");
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--keep") || name.equals("--no-compare")) {
                options.put(name.substring(2), "true");
            } else if (name.startsWith("--") && i + 1 < args.length) {
                options.put(name.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option " + name + " in " + Arrays.toString(args));
            }
        }
        return options;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
