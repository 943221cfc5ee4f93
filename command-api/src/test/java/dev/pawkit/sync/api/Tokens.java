package dev.pawkit.sync.api;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;

/** Mints the HS256 tokens a local client would use, signed with the test secret. */
public final class Tokens {

    public static final String SECRET = "pawkit-test-secret-0123456789abcdef0123456789";

    private Tokens() {
    }

    public static String forUser(String subject) {
        return signed(SECRET, subject, Instant.now().plusSeconds(3600));
    }

    public static String signed(String secret, String subject, Instant expiresAt) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).expirationTime(Date.from(expiresAt))
                    .issueTime(new Date()).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
