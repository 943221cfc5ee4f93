package dev.pawkit.sync.api.web;

import dev.pawkit.sync.runtime.PawkitProperties;
import java.time.Clock;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /dev/sign-in} with {@code {"user": "alice"}}: the web app's development sign-in. Answers
 * {@code {"user", "token", "expiresAt"}} while the stack runs with the development secret
 * ({@link DevelopmentTokens}), 403 otherwise. Outside {@code /api} and open to callers without a
 * token (SecurityConfiguration), because it is where a token comes from.
 */
@RestController
class DevSignInController {

    /** Shorter than a token's 255-character subject: a name a person types. */
    static final int MAX_USER = 100;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DevelopmentTokens tokens;

    @Autowired
    DevSignInController(PawkitProperties properties) {
        this(new DevelopmentTokens(properties.jwt().secret(), Clock.systemUTC()));
    }

    DevSignInController(DevelopmentTokens tokens) {
        this.tokens = tokens;
    }

    @PostMapping(path = "/dev/sign-in", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> signIn(@RequestBody(required = false) String body) {
        if (!tokens.enabled()) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(refused());
        }
        String user = userOf(body);
        DevelopmentTokens.Minted minted = tokens.mint(user);
        return ResponseEntity.ok(Map.of("user", user, "token", minted.token(), "expiresAt",
                minted.expiresAt().toString()));
    }

    private static ProblemDetail refused() {
        return Problems.of(HttpStatus.FORBIDDEN, "dev-sign-in-disabled", "Development sign-in disabled",
                "this server does not check tokens with the development secret, so it mints none;"
                        + " sign in with your identity provider's token");
    }

    /** The trimmed user name, or a 400 naming what is wrong with the body. */
    private static String userOf(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidRequestException("a JSON body {\"user\": \"name\"} is required");
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidRequestException("the body is not JSON");
        }
        JsonNode user = json == null || !json.isObject() ? null : json.get("user");
        if (user == null || !user.isString()) {
            throw new InvalidRequestException("user must be a string");
        }
        String name = user.stringValue().strip();
        if (name.isEmpty()) {
            throw new InvalidRequestException("user must not be blank");
        }
        if (name.length() > MAX_USER) {
            throw new InvalidRequestException("user must be at most " + MAX_USER + " characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException("user must not contain control characters");
        }
        return name;
    }
}
