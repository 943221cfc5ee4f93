package dev.pawkit.sync.api.write;

import dev.pawkit.sync.api.web.InvalidRequestException;
import dev.pawkit.sync.api.web.OutcomeResponses;
import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CommandOutcome;
import dev.pawkit.sync.infra.CommandLog;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Card writes: validate strictly, turn the request into a command, append it, answer with the
 * projector's decision (or 202 and where to poll). Nothing here decides; the projector does.
 */
@RestController
@RequestMapping("/api/cards")
class CardWriteController {

    private final CommandGateway gateway;

    CardWriteController(CommandGateway gateway) {
        this.gateway = gateway;
    }

    @PostMapping
    CompletableFuture<ResponseEntity<Object>> create(@AuthenticationPrincipal Jwt user,
            @RequestHeader(value = "Idempotency-Key", required = false) String key,
            @RequestHeader(value = "Prefer", required = false) String prefer,
            @RequestHeader(value = "X-Client-Id", required = false) String clientId,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        requireJson(request, body);
        String idempotencyKey = CardWriteRequests.idempotencyKey(key);
        return submit(user, idempotencyKey, clientId, prefer, request,
                CardWriteRequests.create(user.getSubject(), idempotencyKey, body));
    }

    @PatchMapping("/{id}")
    CompletableFuture<ResponseEntity<Object>> update(@AuthenticationPrincipal Jwt user, @PathVariable String id,
            @RequestHeader(value = "Idempotency-Key", required = false) String key,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @RequestHeader(value = "Prefer", required = false) String prefer,
            @RequestHeader(value = "X-Client-Id", required = false) String clientId,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        String cardId = CardWriteRequests.cardId(id);
        requireJson(request, body);
        String idempotencyKey = CardWriteRequests.idempotencyKey(key);
        return submit(user, idempotencyKey, clientId, prefer, request,
                CardWriteRequests.update(cardId, ifMatch, body));
    }

    @DeleteMapping("/{id}")
    CompletableFuture<ResponseEntity<Object>> delete(@AuthenticationPrincipal Jwt user, @PathVariable String id,
            @RequestParam(value = "version", required = false) String versionParam,
            @RequestHeader(value = "Idempotency-Key", required = false) String key,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @RequestHeader(value = "Prefer", required = false) String prefer,
            @RequestHeader(value = "X-Client-Id", required = false) String clientId,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        String cardId = CardWriteRequests.cardId(id);
        if (body != null && body.length > 0) {
            requireJson(request, body);
        }
        String idempotencyKey = CardWriteRequests.idempotencyKey(key);
        return submit(user, idempotencyKey, clientId, prefer, request,
                CardWriteRequests.delete(cardId, ifMatch, versionParam, body));
    }

    /**
     * Asks for the card's page metadata to be fetched again. Once the request is decided the card
     * shows metadataStatus pending and the answer is 202 (the fetch runs in the background, the card
     * shows its outcome), with the card and {@code Location} of this request's status; a refresh
     * of an unknown, deleted or non-url card gets that error instead.
     */
    @PostMapping("/{id}/refresh-metadata")
    CompletableFuture<ResponseEntity<Object>> refreshMetadata(@AuthenticationPrincipal Jwt user,
            @PathVariable String id,
            @RequestHeader(value = "Idempotency-Key", required = false) String key,
            @RequestHeader(value = "Prefer", required = false) String prefer,
            @RequestHeader(value = "X-Client-Id", required = false) String clientId,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        String cardId = CardRequestReader.uuid(id, "the card id in the URL");
        if (body != null && body.length > 0) {
            throw new InvalidRequestException("refresh-metadata takes no body");
        }
        return send(user, CardWriteRequests.idempotencyKey(key), clientId, prefer, request,
                new CardCommand.RefreshMetadata(cardId))
                .thenApply(submission -> {
                    if (submission instanceof CommandGateway.Submission.Decided decided
                            && decided.outcome().outcome() instanceof CommandOutcome.Applied) {
                        ResponseEntity<Object> card = OutcomeResponses.render(decided.outcome());
                        return ResponseEntity.status(HttpStatus.ACCEPTED)
                                .location(URI.create("/api/commands/" + decided.outcome().commandId()))
                                .headers(card.getHeaders())
                                .body(card.getBody());
                    }
                    return render(submission);
                });
    }

    private CompletableFuture<ResponseEntity<Object>> submit(Jwt user, String idempotencyKey, String clientId,
            String prefer, HttpServletRequest request, CardCommand command) {
        return send(user, idempotencyKey, clientId, prefer, request, command).thenApply(CardWriteController::render);
    }

    private CompletableFuture<CommandGateway.Submission> send(Jwt user, String idempotencyKey, String clientId,
            String prefer, HttpServletRequest request, CardCommand command) {
        CommandLog.Origin origin = CommandLog.Origin.user(user.getSubject(), idempotencyKey,
                CardWriteRequests.clientId(clientId),
                request.getMethod() + " " + request.getRequestURI());
        return gateway.submit(origin, command, respondAsync(prefer));
    }

    /** The decision as the write's response, or 202 and where the decision will be. */
    static ResponseEntity<Object> render(CommandGateway.Submission submission) {
        if (submission instanceof CommandGateway.Submission.Decided decided) {
            return OutcomeResponses.render(decided.outcome());
        }
        return pending(((CommandGateway.Submission.Pending) submission).commandId());
    }

    /** 202: appended, not decided yet; the decision will be at the Location. */
    static ResponseEntity<Object> pending(String commandId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("commandId", commandId);
        body.put("status", "pending");
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/api/commands/" + commandId))
                .header("Retry-After", "1")
                .body(body);
    }

    private static boolean respondAsync(String prefer) {
        return prefer != null && Arrays.stream(prefer.split(","))
                .map(p -> p.trim().split(";")[0].trim())
                .anyMatch("respond-async"::equalsIgnoreCase);
    }

    private static void requireJson(HttpServletRequest request, byte[] body) {
        CardWriteRequests.requireJson(request.getContentType(), body);
    }
}
