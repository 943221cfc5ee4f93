package dev.pawkit.sync.api.read;

import dev.pawkit.sync.runtime.PawkitProperties;
import dev.pawkit.sync.api.web.OutcomeResponses;
import dev.pawkit.sync.api.web.Problems;
import dev.pawkit.sync.api.write.CardRequestReader;
import dev.pawkit.sync.api.write.CommandIds;
import dev.pawkit.sync.domain.log.OutcomeEnvelope;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where a 202 points: once the projector decided, the response the write would have had (same
 * status, headers and body); before that, 202 again. Decisions are kept as long as idempotency keys.
 */
@RestController
class CommandStatusController {

    /** How long a decided but not yet committed outcome is waited for before answering "pending". */
    private static final long COMMIT_WAIT_MILLIS = 2000;

    private final ReadRouter router;
    private final PawkitProperties properties;
    private final DecisionCommits commits;
    private final Clock clock = Clock.systemUTC();

    CommandStatusController(ReadRouter router, PawkitProperties properties, DecisionCommits commits) {
        this.router = router;
        this.properties = properties;
        this.commits = commits;
    }

    @GetMapping("/api/commands/{id}")
    ResponseEntity<?> status(@AuthenticationPrincipal Jwt user, @PathVariable String id,
            HttpServletRequest request) throws Exception {
        String commandId = CardRequestReader.uuid(id, "the command id in the URL");
        Optional<ResponseEntity<byte[]>> forwarded = router.forwardIfRemote(user.getSubject(), request);
        if (forwarded.isPresent()) {
            return forwarded.get();
        }
        Optional<OutcomeEnvelope> outcome = router.reads().outcome(user.getSubject(), commandId);
        // Never answer a decision whose transaction may still abort: the write path answers only
        // committed outcomes (read_committed), and so does this one.
        if (outcome.isPresent() && committedWithin(outcome.get(), COMMIT_WAIT_MILLIS)) {
            return OutcomeResponses.render(outcome.get());
        }
        if (outcome.isPresent() || CommandIds.issuedWithin(UUID.fromString(commandId), user.getSubject(), clock.instant(),
                properties.idempotency().ttl())) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("commandId", commandId);
            body.put("status", "pending");
            return ResponseEntity.status(HttpStatus.ACCEPTED).header("Retry-After", "1").body(body);
        }
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Problems.of(HttpStatus.NOT_FOUND, "not-found",
                "Not found", "no command " + commandId + " (decisions are kept for "
                        + properties.idempotency().ttl() + ")"));
    }

    /** Commits come every commit interval (20 ms by default): wait for one, bounded. */
    private boolean committedWithin(OutcomeEnvelope outcome, long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!commits.isCommitted(outcome)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
