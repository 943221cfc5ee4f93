package dev.pawkit.sync.api.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/** Writes a problem body where Spring MVC's handlers do not reach: servlet filters and security. */
public final class ProblemWriter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ProblemWriter() {
    }

    public static final String PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    /**
     * Writes the problem without flushing or closing the response, so that it stays uncommitted
     * until the request ends and {@link UnreadBodyValve} may still add {@code Connection: close}.
     */
    public static void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        byte[] body = JSON.writeValueAsBytes(fields(problem));
        response.setStatus(problem.getStatus());
        response.setContentType(PROBLEM_JSON);
        response.getOutputStream().write(body);
    }

    /** The problem as JSON text, for writers that are not a servlet response (Tomcat's error report). */
    public static String json(ProblemDetail problem) {
        return JSON.writeValueAsString(fields(problem));
    }

    private static Map<String, Object> fields(ProblemDetail problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        return body;
    }
}
