package dev.pawkit.sync.bench.reliability;

import java.io.PrintStream;
import java.util.List;

/**
 * What the checker found: how much it checked, and every violation. The run passes only with no
 * violation at all; {@code lost} and {@code duplicated} are the two the summary line names.
 *
 * @param commands distinct writes (user + idempotency key) in the history
 * @param attempts HTTP attempts, retries and batch members included
 * @param unanswered attempts that got no answer at all (a timeout, a connection error)
 * @param acknowledged writes answered 200/201 at least once: each must be in the log exactly once
 * @param rejected writes answered with a stored rejection (404/409/410/412/422): none may be in the log
 * @param unknown writes never decided for the client (timeouts, 202, 5xx): at most once in the log
 * @param retried writes sent more than once under their key: every decided answer must be the first
 * @param events committed events of the history's users
 * @param cards cards whose version chain was checked
 * @param views cards compared between a view and the fold of their events
 * @param lost acknowledged writes not in the log
 * @param duplicated writes (user + key) with more than one effect in the log
 * @param serverErrors attempts answered with a 5xx status (a batch member counts as an attempt): under faults
 *        mostly the 503s the contract promises while the broker or the projector is unavailable
 */
public record Verdict(int commands, int attempts, int unanswered, int acknowledged, int rejected, int unknown,
        int retried, int events, int cards, int views, int lost, int duplicated, int serverErrors,
        List<String> violations) {

    public Verdict {
        violations = List.copyOf(violations);
    }

    public boolean passed() {
        return violations.isEmpty();
    }

    /** The same counts with more violations: what a scenario found beyond the checker's own checks. */
    public Verdict withViolations(List<String> more) {
        List<String> all = new java.util.ArrayList<>(violations);
        all.addAll(more);
        return new Verdict(commands, attempts, unanswered, acknowledged, rejected, unknown, retried, events, cards,
                views, lost, duplicated, serverErrors, all);
    }

    /** The counts, every violation, then the one summary line a run ends with. */
    public void print(PrintStream out, int scenarios) {
        printChecks(out);
        out.println(line(scenarios));
    }

    /** The counts and every violation, without the summary line (a run of several scenarios sums them). */
    public void printChecks(PrintStream out) {
        out.printf("checked: commands=%d attempts=%d unanswered=%d acknowledged=%d rejected=%d unknown=%d retried=%d"
                + " events=%d cards=%d views=%d%n", commands, attempts, unanswered, acknowledged, rejected, unknown,
                retried, events, cards, views);
        for (String violation : violations) {
            out.println("VIOLATION: " + violation);
        }
        out.println(violations.isEmpty() ? "no violations" : violations.size() + " violations");
    }

    public String line(int scenarios) {
        return line(scenarios, List.of(this));
    }

    /** The summary line of a run: {@code verdicts}' counts summed. */
    public static String line(int scenarios, List<Verdict> verdicts) {
        return "reliability: scenarios=" + scenarios + " " + counts(verdicts);
    }

    /** {@code acknowledged=<n> lost=<n> duplicated=<n> server_errors=<n>}, summed over {@code verdicts}. */
    public static String counts(List<Verdict> verdicts) {
        return "acknowledged=" + verdicts.stream().mapToInt(Verdict::acknowledged).sum()
                + " lost=" + verdicts.stream().mapToInt(Verdict::lost).sum()
                + " duplicated=" + verdicts.stream().mapToInt(Verdict::duplicated).sum()
                + " server_errors=" + verdicts.stream().mapToInt(Verdict::serverErrors).sum();
    }
}
