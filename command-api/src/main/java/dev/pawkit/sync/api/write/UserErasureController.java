package dev.pawkit.sync.api.write;

import dev.pawkit.sync.api.web.Problems;
import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CommandOutcome;
import dev.pawkit.sync.infra.CommandLog;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.sealing.KeysUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Forgetting a user (crypto-shredding): {@code DELETE /api/me} by the user themselves, and
 * {@code DELETE /api/users/{userId}} by an operator. Both must name the user again in
 * {@code Confirm-Erase}, so that no stray DELETE erases anyone. The erasure is a command like any
 * write, carried out by the projector in one transaction: the user's views, history and stored
 * answers removed, their data keys destroyed. 204 once it is committed; 202 while it is pending.
 */
@RestController
class UserErasureController {

    static final String CONFIRM_HEADER = "Confirm-Erase";

    private static final Logger log = LoggerFactory.getLogger(UserErasureController.class);

    private final CommandGateway gateway;
    private final PawkitSerdes serdes;

    UserErasureController(CommandGateway gateway, PawkitSerdes serdes) {
        this.gateway = gateway;
        this.serdes = serdes;
    }

    @DeleteMapping("/api/me")
    CompletableFuture<ResponseEntity<Object>> eraseMe(@AuthenticationPrincipal Jwt caller,
            @RequestHeader(value = CONFIRM_HEADER, required = false) String confirm, HttpServletRequest request) {
        return erase(caller.getSubject(), caller.getSubject(), confirm, request);
    }

    /** Operators only (see SecurityConfiguration): a user who can no longer sign in, or a legal request. */
    @DeleteMapping("/api/users/{userId}")
    CompletableFuture<ResponseEntity<Object>> eraseUser(@AuthenticationPrincipal Jwt operator,
            @PathVariable String userId,
            @RequestHeader(value = CONFIRM_HEADER, required = false) String confirm, HttpServletRequest request) {
        return erase(userId, operator.getSubject(), confirm, request);
    }

    private CompletableFuture<ResponseEntity<Object>> erase(String userId, String actor, String confirm,
            HttpServletRequest request) {
        if (!userId.equals(confirm)) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, Problems.of(HttpStatus.BAD_REQUEST,
                    "erase-not-confirmed", "Erasure not confirmed",
                    "erasing a user needs the header " + CONFIRM_HEADER + " naming that user's id; nothing was erased"),
                    null);
        }
        CommandLog.Origin origin = new CommandLog.Origin(userId, actor, null, null,
                request.getMethod() + " " + request.getRequestURI());
        return gateway.submit(origin, new CardCommand.EraseUser(), false)
                // Off the reply thread: reading the key topic may take a moment.
                .thenApplyAsync(submission -> {
                    if (submission instanceof CommandGateway.Submission.Decided decided
                            && decided.outcome().outcome() instanceof CommandOutcome.Erased) {
                        forgetKeysHere(userId);
                        return ResponseEntity.noContent().build();
                    }
                    return CardWriteController.render(submission);
                });
    }

    /**
     * The key tombstones were committed with the answer; reading the key topic up to them now
     * makes this instance forget the destroyed keys before the caller's next write, which must
     * start from a new key. Other instances read them within moments (docs/erasure.md).
     */
    private void forgetKeysHere(String userId) {
        try {
            serdes.keys().keyIds(userId);
        } catch (KeysUnavailableException e) {
            log.warn("erased user {}, but the key topic could not be read back just now", userId, e);
        }
    }
}
