package dev.pawkit.sync.api.web;

import dev.pawkit.sync.api.write.BrokerUnavailableException;
import dev.pawkit.sync.api.write.RateLimitedException;
import dev.pawkit.sync.projector.ProjectorReads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as {@code application/problem+json}: Spring MVC's own (405, 406, 415, 404 of unknown
 * routes, missing parameters) through {@link ResponseEntityExceptionHandler}, ours below.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    /**
     * Spring MVC's own errors (unknown route, method, media type…) leave the problem type at
     * about:blank, which the JSON then omits: give them a type of ours too, named for the status.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        // The body is built in super (from the exception) when none is given.
        ResponseEntity<Object> response = super.handleExceptionInternal(e, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem
                && (problem.getType() == null || URI.create("about:blank").equals(problem.getType()))) {
            problem.setType(URI.create(Problems.BASE + Problems.typeName(status.value())));
        }
        return response;
    }

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidRequestException e) {
        return ResponseEntity.badRequest()
                .body(Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage()));
    }

    /**
     * Spring Security's firewall checks a header's value when it is first read (a controller reading
     * If-Match), so a value it refuses (raw non-ASCII bytes, say) surfaces here: the client's error.
     */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejectedException e) {
        return ResponseEntity.badRequest().body(Problems.rejectedByFirewall());
    }

    @ExceptionHandler(UnsupportedBodyTypeException.class)
    ResponseEntity<ProblemDetail> unsupportedType(UnsupportedBodyTypeException e) {
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).body(Problems.of(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type", e.getMessage()));
    }

    @ExceptionHandler(BrokerUnavailableException.class)
    ResponseEntity<ProblemDetail> brokerDown(BrokerUnavailableException e) {
        log.warn("append failed: {}", e.getCause() == null ? e.getMessage() : e.getCause().toString());
        return e.response();
    }

    @ExceptionHandler(RateLimitedException.class)
    ResponseEntity<ProblemDetail> rateLimited(RateLimitedException e) {
        return e.response();
    }

    @ExceptionHandler(ProjectorReads.NotQueryableException.class)
    ResponseEntity<ProblemDetail> notQueryable(ProjectorReads.NotQueryableException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1")
                .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "projector-unavailable", "Service unavailable",
                        "card views are being rebuilt or moved: " + e.getMessage()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("unexpected failure", e);
        return ResponseEntity.internalServerError().body(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR,
                "internal-error", "Internal error", "an unexpected error occurred"));
    }
}
