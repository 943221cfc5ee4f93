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
 * A 400 for a path with parameters ({@code /api/cards/x;a=b}). No route takes them and Spring
 * Security's firewall refuses them, but Spring parses the path before the firewall sees it, and
 * a parameter with a broken percent-encoding ({@code /api/cards/;%}) failed there as a 500.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class PathParametersFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getRequestURI().indexOf(';') >= 0) {
            ProblemWriter.write(response, Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                    "paths take no parameters (';')"));
            return;
        }
        chain.doFilter(request, response);
    }
}
