package dev.pawkit.sync.bench.postgres;

import java.net.URI;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as {@code application/problem+json} with Pawkit's problem types: Spring MVC's own
 * (unknown route, method, media type) and a refused request ({@link Refused}), which is answered
 * before anything is written.
 */
@RestControllerAdvice
class Problems extends ResponseEntityExceptionHandler {

    static final String BASE = "https://pawkit.dev/problems/";

    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    /** A request refused as sent (400, 413, 415): nothing was written, nothing is stored under its key. */
    static final class Refused extends RuntimeException {
        final ProblemDetail problem;

        Refused(HttpStatus status, String type, String title, String detail) {
            super(detail);
            this.problem = of(status, type, title, detail);
        }
    }

    static Refused invalid(String detail) {
        return new Refused(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
    }

    static ProblemDetail of(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(BASE + type));
        problem.setTitle(title);
        return problem;
    }

    @ExceptionHandler(Refused.class)
    ResponseEntity<ProblemDetail> refused(Refused e) {
        return ResponseEntity.status(e.problem.getStatus()).body(e.problem);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("unexpected failure", e);
        return ResponseEntity.internalServerError().body(of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "Internal error", "an unexpected error occurred"));
    }

    /** Spring MVC's own errors leave the type at about:blank: name it for the status, as Pawkit does. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(e, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem
                && (problem.getType() == null || URI.create("about:blank").equals(problem.getType()))) {
            HttpStatus known = HttpStatus.resolve(status.value());
            problem.setType(URI.create(BASE + (known == null ? "error-" + status.value()
                    : known.name().toLowerCase(Locale.ROOT).replace('_', '-'))));
        }
        return response;
    }
}
