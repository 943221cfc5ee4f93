package dev.pawkit.sync.api.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers tokens whose signature was verified, by their exact text: a client sends the same
 * token with every request, and checking its signature again each time was a tenth of the API's
 * CPU under load. The claims are validated again on every use (expiry, subject), so a remembered
 * token stops working when it expires; a forged or altered token is another text and is verified
 * as usual. Bounded: forgotten all at once when full.
 */
final class VerifiedTokenCache implements JwtDecoder {

    private final JwtDecoder verifier;
    private final OAuth2TokenValidator<Jwt> validator;
    private final int maxTokens;
    private final Map<String, Jwt> verified = new ConcurrentHashMap<>();

    VerifiedTokenCache(JwtDecoder verifier, OAuth2TokenValidator<Jwt> validator, int maxTokens) {
        this.verifier = verifier;
        this.validator = validator;
        this.maxTokens = maxTokens;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt known = verified.get(token);
        if (known == null) {
            Jwt jwt = verifier.decode(token);
            if (verified.size() >= maxTokens) {
                verified.clear();
            }
            verified.put(token, jwt);
            return jwt;
        }
        OAuth2TokenValidatorResult result = validator.validate(known);
        if (result.hasErrors()) {
            verified.remove(token);
            throw new BadJwtException("An error occurred while attempting to decode the Jwt: "
                    + result.getErrors().iterator().next().getDescription());
        }
        return known;
    }
}
