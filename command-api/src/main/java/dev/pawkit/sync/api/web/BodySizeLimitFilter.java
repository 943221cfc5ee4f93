package dev.pawkit.sync.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a body declared over 1 MiB (Content-Length) with 413 before anything reads it; the
 * connection is closed rather than the body read ({@link UnreadBodyValve}). A chunked body is
 * counted as it arrives, by {@link RequestBodyReader}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class BodySizeLimitFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > HttpLimits.MAX_BODY_BYTES) {
            ProblemWriter.write(response, Problems.of(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large",
                    "Payload too large", "request bodies are limited to " + HttpLimits.MAX_BODY_BYTES + " bytes (1 MiB)"));
            return;
        }
        chain.doFilter(request, response);
    }
}
