package dev.pawkit.sync.api.analytics;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.pawkit.sync.api.Tokens;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;

/** A token with the {@code operator} scope, as {@code scripts/mint-token <user> <seconds> operator} mints it. */
final class OperatorToken {

    private OperatorToken() {
    }

    static String forUser(String subject) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).claim("scope", "operator")
                    .expirationTime(Date.from(Instant.now().plusSeconds(3600))).issueTime(new Date()).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(Tokens.SECRET.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
