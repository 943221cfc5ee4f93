package dev.pawkit.sync.bench.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pawkit.sync.bench.CardApi;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault matrix, quick form, on real processes: the stack jar (built by the stack module, before
 * bench in the reactor) and brokers in JVMs of their own, killed with kill -9, restarted, cut off
 * by a proxy; each scenario ends with the history checker's audit, which must find nothing lost,
 * nothing applied twice and no other violation. ReliabilityCheck --quick runs the same.
 */
class FaultScenariosTest {

    /** Surefire runs in the module's directory; the stack module's build leaves its jar here. */
    private static final Path STACK_JAR = Path.of("..", "stack", "target", "pawkit-local-stack.jar");
    private static final List<String> FAULTS = List.of("app-kill", "broker-restart", "impatient-restart",
            "identical-10k", "broker-loss", "tcp-proxy");

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void everyQuickFaultScenarioLosesNothingAndAppliesNothingTwice() throws Exception {
        assumeTrue(Files.exists(STACK_JAR), STACK_JAR.toAbsolutePath().normalize()
                + " is missing (build the stack module first: mvn -DskipTests package): the fault scenarios need it");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

        List<Verdict> verdicts;
        try {
            verdicts = ReliabilityCheck.runScenarios(FAULTS, Scenario.Form.QUICK, STACK_JAR,
                    CardApi.DEVELOPMENT_SECRET, out);
        } finally {
            System.out.print(printed.toString(StandardCharsets.UTF_8));
        }

        assertThat(verdicts).hasSize(FAULTS.size()).allSatisfy(verdict -> {
            assertThat(verdict.violations()).isEmpty();
            assertThat(verdict.acknowledged()).isPositive();
        });
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(lines.size() - 1)).matches("reliability: scenarios=" + FAULTS.size()
                + " acknowledged=[1-9][0-9]* lost=0 duplicated=0 server_errors=[0-9]+");
    }
}
