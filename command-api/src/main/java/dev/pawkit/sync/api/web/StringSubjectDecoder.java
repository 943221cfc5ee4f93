package dev.pawkit.sync.api.web;

import java.util.Base64;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses a token whose {@code sub} is not a JSON string before the signature is checked. The JWT
 * library reads a numeric {@code "sub": 42} as the text "42", which would make it the same user
 * as {@code "sub": "42"}; the subject is the user id, so only a string names one.
 */
final class StringSubjectDecoder implements JwtDecoder {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JwtDecoder next;

    StringSubjectDecoder(JwtDecoder next) {
        this.next = next;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        String[] parts = token.split("\\.", -1);
        if (parts.length == 3) {
            JsonNode subject;
            try {
                subject = JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).get("sub");
            } catch (IllegalArgumentException | JacksonException e) {
                throw new BadJwtException("the token's claims are not base64url JSON");
            }
            if (subject != null && !subject.isString()) {
                throw new BadJwtException("the token's subject must be a string");
            }
        }
        return next.decode(token);
    }
}
