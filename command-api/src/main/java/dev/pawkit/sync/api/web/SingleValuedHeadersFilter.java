package dev.pawkit.sync.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Enumeration;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A 400 for a request that gives twice a header this API reads as one value. Servlet containers
 * and Spring join repeated headers with commas, so two {@code Idempotency-Key}s would become one
 * key "k1,k2" and a retry with "k1" a second card; which of two tokens or ETags was meant is just
 * as unknowable. Nothing is read or written before this check.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class SingleValuedHeadersFilter extends OncePerRequestFilter {

    static final List<String> SINGLE_VALUED = List.of("Authorization", "Idempotency-Key", "If-Match",
            "X-Client-Id", "Last-Event-ID", "Prefer");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        for (String name : SINGLE_VALUED) {
            if (moreThanOne(request.getHeaders(name))) {
                ProblemWriter.write(response, Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                        name + " must be given at most once"));
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static boolean moreThanOne(Enumeration<String> values) {
        if (values == null || !values.hasMoreElements()) {
            return false;
        }
        values.nextElement();
        return values.hasMoreElements();
    }
}
