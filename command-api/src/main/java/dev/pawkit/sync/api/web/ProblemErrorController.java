package dev.pawkit.sync.api.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page ({@code /error}), in place of Spring Boot's JSON: what the
 * container refused before any controller (TRACE, a status Tomcat sent itself) is a problem
 * document like every other error. {@code /error} asked for directly is not a resource: 404.
 *
 * <p>Written straight to the response rather than through Spring MVC's message converters: those
 * look at the URI of the request that failed (a download's file name), and the URI of a refused
 * request may be anything, one that Spring cannot decode included (the fuzzer's 500s).
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ProblemDetail problem;
        if (request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer status && status >= 400) {
            problem = Problems.forStatus(status, status < 500
                    ? "the request was refused before it reached the API"
                    : "an unexpected error occurred");
        } else {
            problem = Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", "no such resource");
        }
        ProblemWriter.write(response, problem);
    }
}
