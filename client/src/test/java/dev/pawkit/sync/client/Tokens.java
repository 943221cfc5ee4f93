package dev.pawkit.sync.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;

/** Mints the HS256 tokens a local client would use, signed with the test stack's secret (as command-api's tests do). */
final class Tokens {

    static final String SECRET = "pawkit-client-test-secret-0123456789abcdef";

    private Tokens() {
    }

    static String forUser(String subject) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject)
                    .expirationTime(Date.from(Instant.now().plusSeconds(3600))).issueTime(new Date()).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
