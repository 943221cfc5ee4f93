package dev.pawkit.sync.api.web;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Mints the web app's local tokens (HS256, {@code sub} = the user, 24 h, as {@code scripts/mint-token}),
 * and only while the server checks tokens with the published development secret: anyone can read that
 * secret in this repository, so such a server trusts nobody anyway, and a server with a real secret
 * never hands out tokens.
 */
final class DevelopmentTokens {

    /** application.yml's default of {@code pawkit.jwt.secret}. */
    static final String DEVELOPMENT_SECRET = "pawkit-local-development-secret-change-me";
    static final Duration VALIDITY = Duration.ofHours(24);

    private final String secret;
    private final Clock clock;

    DevelopmentTokens(String secret, Clock clock) {
        this.secret = secret;
        this.clock = clock;
    }

    boolean enabled() {
        return DEVELOPMENT_SECRET.equals(secret);
    }

    /** A token for {@code user}; call only when {@link #enabled()}. */
    Minted mint(String user) {
        if (!enabled()) {
            throw new IllegalStateException("development tokens only under the development secret");
        }
        Instant now = clock.instant();
        // A JWT counts in whole seconds: the answer names the instant the token really expires.
        Instant expiresAt = now.plus(VALIDITY).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(user).issueTime(Date.from(now))
                .expirationTime(Date.from(expiresAt)).build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return new Minted(jwt.serialize(), expiresAt);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    record Minted(String token, Instant expiresAt) {
    }
}
