package dev.pawkit.sync.api.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads a request's whole body before the API sees it, without a thread waiting for it: Servlet
 * non-blocking IO ({@code startAsync} and a {@link ReadListener}) collects the bytes as they
 * arrive, bounded in size (413 past {@link HttpLimits#MAX_BODY_BYTES}) and in time (408
 * {@code request-timeout} once {@code pawkit.http.body-timeout} has passed since the headers),
 * then dispatches the request again with the body in memory. Tomcat's blocking reads held a worker
 * thread per body for as long as its client kept sending, with a timeout per read only: 200 clients
 * sending a byte a second took every thread, and every other client waited.
 *
 * <p>It runs right after Spring Security, so only an authenticated caller's body is read; what is
 * refused before (401, a bad header) closes the connection instead of reading the body
 * ({@link UnreadBodyValve}). The dispatch after the read is an ASYNC dispatch, exactly as Spring
 * MVC's own for an asynchronous answer: the filters before this one saw the request already and
 * let it through again (Spring Security from the context it stored in the request).
 *
 * <p>Hand-written, and why: neither Tomcat nor Spring MVC has a total deadline for a request body
 * (Tomcat's {@code connectionTimeout} is per read), nor a reader that waits without a thread.
 */
@Component
@Order(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 1)
public class RequestBodyReader extends OncePerRequestFilter {

    private static final String BODY = RequestBodyReader.class.getName() + ".body";
    private static final String REFUSAL = RequestBodyReader.class.getName() + ".refusal";

    private final Duration timeout;

    RequestBodyReader(@Value("${pawkit.http.body-timeout:30s}") Duration timeout) {
        this.timeout = timeout;
    }

    /** This filter's own dispatch comes back here; Spring MVC's later one passes through. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
            Object body = request.getAttribute(BODY);
            Object refusal = request.getAttribute(REFUSAL);
            request.removeAttribute(BODY);
            request.removeAttribute(REFUSAL);
            if (body instanceof byte[] bytes) {
                chain.doFilter(new BufferedBodyRequest(request, bytes), response);
            } else if (refusal instanceof ProblemDetail problem) {
                ProblemWriter.write(response, problem);
            } else {
                chain.doFilter(request, response);
            }
            return;
        }
        if (!hasBody(request)) {
            chain.doFilter(request, response);
            return;
        }
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(timeout.toMillis());
        BodyRead read = new BodyRead(request, async, request.getInputStream());
        async.addListener(read);
        request.getInputStream().setReadListener(read);
    }

    private static boolean hasBody(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        return length > 0 || (length < 0 && request.getHeader("Transfer-Encoding") != null);
    }

    /**
     * One body being read: bytes as they arrive, until the end (dispatch with the body), the size
     * limit, the deadline or a broken stream (dispatch with the refusal), whichever comes first.
     */
    private final class BodyRead implements ReadListener, AsyncListener {

        private final HttpServletRequest request;
        private final AsyncContext async;
        private final ServletInputStream in;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final byte[] chunk = new byte[8192];
        private final AtomicBoolean finished = new AtomicBoolean();

        BodyRead(HttpServletRequest request, AsyncContext async, ServletInputStream in) {
            this.request = request;
            this.async = async;
            this.in = in;
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (in.isReady() && !in.isFinished()) {
                int read = in.read(chunk);
                if (read < 0 || finished.get()) {
                    return;
                }
                if (body.size() + read > HttpLimits.MAX_BODY_BYTES) {
                    finish(REFUSAL, Problems.of(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large",
                            "request bodies are limited to " + HttpLimits.MAX_BODY_BYTES + " bytes (1 MiB)"));
                    return;
                }
                body.write(chunk, 0, read);
            }
        }

        @Override
        public void onAllDataRead() {
            finish(BODY, body.toByteArray());
        }

        @Override
        public void onError(Throwable failure) {
            finish(REFUSAL, Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                    "the request body could not be read"));
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            finish(REFUSAL, Problems.of(HttpStatus.REQUEST_TIMEOUT, "request-timeout", "Request timeout",
                    "the request body did not arrive within " + timeout.toSeconds() + " s"));
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }

        private void finish(String outcome, Object value) {
            if (finished.compareAndSet(false, true)) {
                request.setAttribute(outcome, value);
                async.dispatch();
            }
        }
    }

    /** The request with its body read: Spring MVC reads these bytes as it would have read the stream. */
    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
