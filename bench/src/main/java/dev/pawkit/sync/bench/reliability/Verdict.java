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
 * @param serverErrors answers with a 5xx status
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

    /** The counts, every violation, then the one summary line a run ends with. */
    public void print(PrintStream out, int scenarios) {
        out.printf("checked: commands=%d attempts=%d unanswered=%d acknowledged=%d rejected=%d unknown=%d retried=%d"
                + " events=%d cards=%d views=%d%n", commands, attempts, unanswered, acknowledged, rejected, unknown,
                retried, events, cards, views);
        for (String violation : violations) {
            out.println("VIOLATION: " + violation);
        }
        out.println(violations.isEmpty() ? "no violations" : violations.size() + " violations");
        out.println(line(scenarios));
    }

    public String line(int scenarios) {
        return "reliability: scenarios=" + scenarios + " acknowledged=" + acknowledged + " lost=" + lost
                + " duplicated=" + duplicated + " server_errors=" + serverErrors;
    }
}
