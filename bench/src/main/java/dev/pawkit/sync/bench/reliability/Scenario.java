package dev.pawkit.sync.bench.reliability;

import dev.pawkit.sync.bench.CardApi;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * One run of the reliability check: its own servers (started through a {@link Launcher}, all killed
 * when it ends), a workload, a fault injected while it writes, then the audit of the log and the
 * views once the fault has healed. docs/reliability.md describes each.
 */
interface Scenario {

    /** Small (CI, a minute or so each) or long (the documented long run). */
    enum Form {
        QUICK, LONG
    }

    /** The name {@code --scenario} takes. */
    String name();

    /** Runs it and returns the audit's verdict, with any violation of the scenario's own on top. */
    Verdict run(Form form, Launcher launcher, PrintStream out) throws Exception;

    /** How long the audit may read before it gives its answer: the views may still be catching up after a restart. */
    Duration AUDIT_TIMEOUT = Duration.ofSeconds(90);

    /**
     * The audit, once the fault has healed: the log read through {@code bootstrap} (opened with the
     * run's master key), the views through {@code api}.
     */
    static Verdict audit(History history, String bootstrap, CardApi api, Launcher launcher) throws InterruptedException {
        Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
        return Audit.check(history, new CommittedEvents(kafka, CommittedEvents.serdes(kafka, launcher.masterKey())),
                new ViewReader(api), AUDIT_TIMEOUT);
    }
}
