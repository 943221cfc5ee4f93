package dev.pawkit.sync.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A 400 for a query string that is not valid percent-encoded UTF-8 ({@code ?limit=%ff},
 * {@code ?cursor=%c0%af}): Tomcat refuses to decode it only when a parameter is first read, deep
 * in whatever reads it (a controller, Spring Security, the actuator), as an exception that would
 * otherwise be a 500. Decoding it here, first, makes it the client's error on every endpoint.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class QueryDecodingFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getQueryString() != null) {
            try {
                request.getParameterMap();
            } catch (InvalidParameterException e) {
                ProblemWriter.write(response, Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                        "the query string is not valid percent-encoded UTF-8"));
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
