package dev.pawkit.sync.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;

/**
 * Mints the HS256 tokens a local client would use, signed with the secret every test stack is
 * started with ({@link #SECRET}), as {@code scripts/mint-token} does for the local stack.
 */
public final class Tokens {

    public static final String SECRET = "pawkit-test-secret-0123456789abcdef0123456789";

    private Tokens() {
    }

    /** A user's token, valid for an hour. */
    public static String forUser(String subject) {
        return signed(SECRET, subject, Instant.now().plusSeconds(3600));
    }

    /** A token with the {@code operator} scope, as {@code scripts/mint-token <user> <seconds> operator} mints it. */
    public static String forOperator(String subject) {
        return sign(SECRET, new JWTClaimsSet.Builder().subject(subject).claim("scope", "operator")
                .expirationTime(Date.from(Instant.now().plusSeconds(3600))).issueTime(new Date()).build());
    }

    public static String signed(String secret, String subject, Instant expiresAt) {
        return sign(secret, new JWTClaimsSet.Builder().subject(subject).expirationTime(Date.from(expiresAt))
                .issueTime(new Date()).build());
    }

    private static String sign(String secret, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
