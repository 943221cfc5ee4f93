package dev.pawkit.sync.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * The actuator answers some requests with an error status and no body at all (an unknown health
 * group or component, {@code /actuator/health/nope}: an empty 404, found by the fuzzer); like every
 * other error of this server it becomes a problem document. Only {@code /actuator/**} is buffered
 * (Spring's {@link ContentCachingResponseWrapper}) to see whether a body was written.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
public class ActuatorProblemFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper buffered = new ContentCachingResponseWrapper(response);
        chain.doFilter(request, buffered);
        if (buffered.getStatus() >= 400 && buffered.getContentSize() == 0 && !response.isCommitted()) {
            ProblemWriter.write(response, Problems.forStatus(buffered.getStatus(), "no such actuator resource"));
            return;
        }
        buffered.copyBodyToResponse();
    }
}
