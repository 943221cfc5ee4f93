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
import org.springframework.web.util.WebUtils;

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

    /** A request with a body is answered in an ASYNC dispatch (RequestBodyReader): it ends here too. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper earlier = WebUtils.getNativeResponse(response, ContentCachingResponseWrapper.class);
        ContentCachingResponseWrapper buffered = earlier != null ? earlier : new ContentCachingResponseWrapper(response);
        chain.doFilter(request, earlier != null ? response : buffered);
        if (isAsyncStarted(request)) {
            // The answer is written in a later dispatch, which passes here again.
            return;
        }
        HttpServletResponse raw = (HttpServletResponse) buffered.getResponse();
        if (buffered.getStatus() >= 400 && buffered.getContentSize() == 0 && !raw.isCommitted()) {
            ProblemWriter.write(raw, Problems.forStatus(buffered.getStatus(), "no such actuator resource"));
            return;
        }
        buffered.copyBodyToResponse();
    }
}
