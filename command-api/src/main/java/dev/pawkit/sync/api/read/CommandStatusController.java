package dev.pawkit.sync.api.read;

import dev.pawkit.sync.api.PawkitProperties;
import dev.pawkit.sync.api.web.OutcomeResponses;
import dev.pawkit.sync.api.web.Problems;
import dev.pawkit.sync.api.write.CardRequestReader;
import dev.pawkit.sync.api.write.CommandIds;
import dev.pawkit.sync.schemas.avro.CommandOutcomeRecord;
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

    private final ReadRouter router;
    private final PawkitProperties properties;
    private final Clock clock = Clock.systemUTC();

    CommandStatusController(ReadRouter router, PawkitProperties properties) {
        this.router = router;
        this.properties = properties;
    }

    @GetMapping("/api/commands/{id}")
    ResponseEntity<?> status(@AuthenticationPrincipal Jwt user, @PathVariable String id,
            HttpServletRequest request) {
        String commandId = CardRequestReader.uuid(id, "the command id in the URL");
        Optional<ResponseEntity<byte[]>> forwarded = router.forwardIfRemote(user.getSubject(), request);
        if (forwarded.isPresent()) {
            return forwarded.get();
        }
        Optional<CommandOutcomeRecord> outcome = router.reads().outcome(user.getSubject(), commandId);
        if (outcome.isPresent()) {
            return OutcomeResponses.render(outcome.get());
        }
        if (CommandIds.issuedWithin(UUID.fromString(commandId), clock.instant(), properties.idempotency().ttl())) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("commandId", commandId);
            body.put("status", "pending");
            return ResponseEntity.status(HttpStatus.ACCEPTED).header("Retry-After", "1").body(body);
        }
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Problems.of(HttpStatus.NOT_FOUND, "not-found",
                "Not found", "no command " + commandId + " (decisions are kept for "
                        + properties.idempotency().ttl() + ")"));
    }
}
