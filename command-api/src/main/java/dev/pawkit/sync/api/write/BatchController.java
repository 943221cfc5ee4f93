package dev.pawkit.sync.api.write;

import dev.pawkit.sync.api.web.InvalidRequestException;
import dev.pawkit.sync.api.web.OutcomeResponses;
import dev.pawkit.sync.api.web.Problems;
import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.infra.CommandLog;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.MultiValueMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/batch}: up to {@value #MAX_OPERATIONS} card writes in one request, each
 * answered exactly as the same request sent alone ({@link CardWriteRequests} reads it, the same
 * gateway appends it, {@link CardWriteController#render} answers it), in order.
 *
 * <p>Not atomic: each operation is its own command with its own idempotency key. They are
 * appended in the batch's order to the caller's partition, so the projector decides them in that
 * order (an update after the create of the same card finds it), and a failed member (a 400, a 409)
 * undoes nothing before it and stops nothing after it. A retried batch replays every member that
 * had a key; members without one are not idempotent, as alone.
 */
@RestController
class BatchController {

    static final int MAX_OPERATIONS = 100;

    private static final Set<String> BATCH_FIELDS = Set.of("operations");
    private static final Set<String> OPERATION_FIELDS = Set.of("method", "path", "idempotencyKey", "headers", "body");
    private static final Set<String> MEMBER_HEADERS = Set.of("if-match");
    private static final Pattern CARDS = Pattern.compile("/api/cards");
    private static final Pattern CARD = Pattern.compile("/api/cards/([^/]+)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CommandGateway gateway;

    BatchController(CommandGateway gateway) {
        this.gateway = gateway;
    }

    @PostMapping("/api/batch")
    CompletableFuture<ResponseEntity<Object>> batch(@AuthenticationPrincipal Jwt user,
            @RequestHeader(value = "X-Client-Id", required = false) String clientId,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        CardWriteRequests.requireJson(request.getContentType(), body);
        String client = CardWriteRequests.clientId(clientId);
        List<JsonNode> operations = operations(body);

        // Every member is read (and a bad one answered) before any is appended, then the good
        // ones are appended in order: the log, not the HTTP threads, orders them.
        List<Read> read = operations.stream().map(operation -> read(user.getSubject(), operation)).toList();
        List<CompletableFuture<Map<String, Object>>> results = read.stream()
                .map(member -> member.refusal() != null ? CompletableFuture.completedFuture(member.refusal())
                        : submit(user.getSubject(), client, member.member()))
                .toList();
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(all -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("results", results.stream().map(CompletableFuture::join).toList());
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer);
        });
    }

    /** A member read into its command, or its own 400 as the batch carries results. */
    private record Read(Member member, Map<String, Object> refusal) {
    }

    private static Read read(String userId, JsonNode operation) {
        try {
            return new Read(member(userId, operation), null);
        } catch (InvalidRequestException e) {
            String path = operation.isObject() && operation.path("path").isString()
                    ? operation.get("path").stringValue() : null;
            return new Read(null, result(ResponseEntity.badRequest().body(
                    Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage())), path));
        }
    }

    /** One valid member: its command appended and its answer rendered. */
    private CompletableFuture<Map<String, Object>> submit(String userId, String clientId, Member member) {
        CommandLog.Origin origin = CommandLog.Origin.user(userId, member.idempotencyKey(), clientId, member.request());
        return gateway.submit(origin, member.command(), false)
                .thenApply(submission -> result(CardWriteController.render(submission), member.path()))
                .exceptionally(error -> {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause instanceof BrokerUnavailableException down) {
                        return result(down.response(), member.path());
                    }
                    if (cause instanceof RateLimitedException limited) {
                        return result(limited.response(), member.path());
                    }
                    throw new CompletionException(cause);
                });
    }

    /** @param path the member's path without its query, as the request line alone would carry it */
    private record Member(String method, String path, String idempotencyKey, CardCommand command) {
        /** What the fingerprint calls the request: the same as when it is sent alone (method and path, no query). */
        String request() {
            return method + " " + path;
        }
    }

    private static Member member(String userId, JsonNode operation) {
        if (!operation.isObject()) {
            throw new InvalidRequestException("each operation is an object");
        }
        CardRequestReader.knownFields(operation, OPERATION_FIELDS, "");
        String method = CardRequestReader.optionalText(operation, "method");
        String path = CardRequestReader.optionalText(operation, "path");
        if (method == null || path == null) {
            throw new InvalidRequestException("an operation needs a method and a path");
        }
        // In the order the same request alone is checked: its path and card id first, then the query.
        Target target = target(path);
        String id = null;
        switch (method) {
            case "POST" -> {
                if (!CARDS.matcher(target.path()).matches()) {
                    throw new InvalidRequestException("POST goes to /api/cards");
                }
            }
            case "PATCH", "DELETE" -> {
                var matcher = CARD.matcher(target.path());
                if (!matcher.matches()) {
                    throw new InvalidRequestException(method + " goes to /api/cards/{id}");
                }
                id = CardWriteRequests.cardId(decoded(matcher.group(1)));
            }
            default -> throw new InvalidRequestException("method is POST, PATCH or DELETE, not " + method);
        }
        String versionParam = queryVersion(method, target.query());
        String key = operation.has("idempotencyKey") && !operation.get("idempotencyKey").isNull()
                ? CardWriteRequests.idempotencyKey(CardRequestReader.optionalText(operation, "idempotencyKey")) : null;
        String ifMatch = ifMatch(operation.get("headers"));
        JsonNode bodyNode = operation.get("body");
        // The member's body as the same request alone would carry it, read by the same reader.
        byte[] body = bodyNode == null || bodyNode.isNull() ? null : JSON.writeValueAsBytes(bodyNode);
        CardCommand command = switch (method) {
            case "POST" -> {
                if (ifMatch != null) {
                    throw new InvalidRequestException("a create takes no If-Match");
                }
                yield CardWriteRequests.create(userId, key, body);
            }
            case "PATCH" -> CardWriteRequests.update(id, ifMatch, body);
            default -> CardWriteRequests.delete(id, ifMatch, versionParam, body);
        };
        return new Member(method, target.path(), key, command);
    }

    /** A member's path split as a request's: the path (raw, as the request line carries it) and its query. */
    private record Target(String path, MultiValueMap<String, String> query) {
    }

    private static Target target(String path) {
        UriComponents uri;
        try {
            uri = UriComponentsBuilder.fromUriString(path).build();
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("path is a path such as /api/cards/{id}, with an optional query");
        }
        if (uri.getScheme() != null || uri.getHost() != null || uri.getFragment() != null || uri.getPath() == null) {
            throw new InvalidRequestException("path is a path such as /api/cards/{id}, with an optional query");
        }
        return new Target(uri.getPath(), uri.getQueryParams());
    }

    /**
     * The query parameters the same request alone reads, and no others: {@code version} of a
     * DELETE (where alone an unknown parameter is ignored, a member's is refused, so that a typo
     * does not turn a conditional delete into an unconditional one).
     */
    private static String queryVersion(String method, MultiValueMap<String, String> query) {
        String version = null;
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            String name = decoded(parameter.getKey());
            if (!method.equals("DELETE") || !name.equals("version")) {
                throw new InvalidRequestException(method.equals("DELETE")
                        ? "a DELETE's query may hold version, not " + name : method + " takes no query parameters");
            }
            if (parameter.getValue().size() != 1) {
                throw new InvalidRequestException("version is given once");
            }
            String value = parameter.getValue().get(0);
            // "?version" alone: as the request alone, an empty value (a 400 for a version).
            version = value == null ? "" : decoded(value);
        }
        return version;
    }

    private static String decoded(String raw) {
        try {
            return UriUtils.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("the path holds a broken %-escape");
        }
    }

    /** The member's If-Match, the one header a member may give; null without one. */
    private static String ifMatch(JsonNode headers) {
        if (headers == null || headers.isNull()) {
            return null;
        }
        if (!headers.isObject()) {
            throw new InvalidRequestException("headers is an object of header names to values");
        }
        String ifMatch = null;
        for (Map.Entry<String, JsonNode> header : headers.properties()) {
            if (!MEMBER_HEADERS.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))
                    || !header.getValue().isString()) {
                throw new InvalidRequestException("an operation's headers may be If-Match (a string), not "
                        + header.getKey());
            }
            if (ifMatch != null) {
                // "If-Match" and "if-match" are one header: two of them are refused, not one picked.
                throw new InvalidRequestException("an operation has one If-Match at most");
            }
            ifMatch = header.getValue().stringValue();
        }
        return ifMatch;
    }

    /** A member's answer as the batch carries it: status, the headers that mean something, body. */
    private static Map<String, Object> result(ResponseEntity<?> response, String path) {
        Map<String, Object> headers = new LinkedHashMap<>();
        HttpHeaders given = response.getHeaders();
        for (String name : List.of(HttpHeaders.ETAG, HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER,
                OutcomeResponses.REPLAYED_HEADER)) {
            String value = given.getFirst(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        Object body = response.getBody();
        if (body instanceof ProblemDetail problem) {
            headers.put(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            body = problemBody(problem, path);
        } else if (body != null) {
            headers.put(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", response.getStatusCode().value());
        result.put("headers", headers);
        result.put("body", body);
        return result;
    }

    /** The problem as Spring MVC writes it for the same request alone, its instance the member's path. */
    private static Map<String, Object> problemBody(ProblemDetail problem, String path) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.put("instance", problem.getInstance() != null ? problem.getInstance().toString() : instance(path));
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        return body;
    }

    /** The member's path as the problem's instance; the batch's own when the path is no URI path. */
    private static String instance(String path) {
        if (path != null) {
            try {
                String parsed = URI.create(path).getPath();
                if (parsed != null && parsed.startsWith("/")) {
                    return parsed;
                }
            } catch (IllegalArgumentException e) {
                // Not a URI: fall back below.
            }
        }
        return "/api/batch";
    }

    private static List<JsonNode> operations(byte[] body) {
        JsonNode operations = CardRequestReader.object(body, BATCH_FIELDS).get("operations");
        if (operations == null || !operations.isArray() || operations.isEmpty()) {
            throw new InvalidRequestException("operations is a list of 1 to " + MAX_OPERATIONS + " operations");
        }
        if (operations.size() > MAX_OPERATIONS) {
            throw new InvalidRequestException("a batch holds at most " + MAX_OPERATIONS + " operations, not "
                    + operations.size());
        }
        List<JsonNode> list = new ArrayList<>();
        operations.forEach(list::add);
        return list;
    }
}
