package dev.pawkit.sync.api.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page ({@code /error}), in place of Spring Boot's JSON: what the
 * container or the security firewall refused before any controller ('..' in the path, a method
 * the firewall does not know) is a problem document like every other error. {@code /error}
 * asked for directly is not a resource: 404.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        ProblemDetail problem;
        if (request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer status && status >= 400) {
            problem = Problems.forStatus(status, status < 500
                    ? "the request was refused before it reached the API"
                    : "an unexpected error occurred");
        } else {
            problem = Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", "no such resource");
        }
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
