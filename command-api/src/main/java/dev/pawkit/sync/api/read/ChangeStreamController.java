package dev.pawkit.sync.api.read;

import dev.pawkit.sync.api.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/cards/changes/stream}: the caller's change feed as server-sent events, from a
 * position ({@code Last-Event-ID}, else {@code ?since=}, else the beginning) and then live. Every
 * event's id is the feed cursor after it, so a reconnect resumes with neither gap nor duplicate.
 */
@RestController
class ChangeStreamController {

    static final String LAST_EVENT_ID = "Last-Event-ID";

    private final ChangeStreams streams;

    ChangeStreamController(ChangeStreams streams) {
        this.streams = streams;
    }

    @GetMapping("/api/cards/changes/stream")
    SseEmitter stream(@AuthenticationPrincipal Jwt user, @RequestParam(value = "since", required = false) String since,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        String userId = user.getSubject();
        long position = position(userId, request, since);
        ChangeStreams.Result opened = streams.open(userId, request.getHeader(HttpHeaders.AUTHORIZATION), position,
                user.getExpiresAt());
        if (opened.stream().isEmpty()) {
            throw new StreamRefusedException(opened.refusal());
        }
        ChangeStream stream = opened.stream().get();
        try {
            stream.start();
        } catch (IOException | RuntimeException e) {
            streams.forget(stream);
            throw e;
        }
        // No caching, and no buffering by proxies (nginx) that would hold events back.
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        return stream.emitter();
    }

    /**
     * Where the stream starts: a reconnecting client's Last-Event-ID wins over the URL's since
     * (given twice, it never gets here: {@code SingleValuedHeadersFilter}).
     */
    private static long position(String userId, HttpServletRequest request, String since) {
        String lastEventId = request.getHeader(LAST_EVENT_ID);
        if (lastEventId != null && !lastEventId.isBlank()) {
            return Cursors.readChangesCursor(userId, lastEventId.strip(), LAST_EVENT_ID);
        }
        return since == null ? 0 : Cursors.readChangesCursor(userId, since, "since");
    }

    @ExceptionHandler(StreamRefusedException.class)
    ResponseEntity<ProblemDetail> refused(StreamRefusedException e) {
        return switch (e.refusal) {
            case USER_LIMIT -> ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, "5")
                    .body(Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too-many-streams", "Too many streams",
                            "this user has as many change streams open here as one user may; close one"));
            case INSTANCE_LIMIT -> ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, "1")
                    .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "streams-unavailable", "Service unavailable",
                            "this instance holds all the change streams it may, or is stopping; retry"));
        };
    }

    static final class StreamRefusedException extends RuntimeException {
        private final ChangeStreams.Refusal refusal;

        StreamRefusedException(ChangeStreams.Refusal refusal) {
            super(refusal.name(), null, false, false);
            this.refusal = refusal;
        }
    }
}
