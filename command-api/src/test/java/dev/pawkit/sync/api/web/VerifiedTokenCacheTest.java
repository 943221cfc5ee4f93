package dev.pawkit.sync.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pawkit.sync.testsupport.Tokens;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** A remembered token is checked again on every use: expiry still ends it, a forgery is still refused. */
class VerifiedTokenCacheTest {

    private static final Instant NOW = Instant.now();

    private final AtomicInteger verifications = new AtomicInteger();
    private final JwtTimestampValidator expiry = new JwtTimestampValidator(Duration.ZERO);
    private final VerifiedTokenCache cache;

    VerifiedTokenCacheTest() {
        expiry.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
        NimbusJwtDecoder nimbus = NimbusJwtDecoder.withSecretKey(
                new SecretKeySpec(Tokens.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256).build();
        nimbus.setJwtValidator(expiry);
        JwtDecoder counting = token -> {
            verifications.incrementAndGet();
            return nimbus.decode(token);
        };
        cache = new VerifiedTokenCache(counting, expiry, 2);
    }

    @Test
    void aTokenSentAgainIsNotVerifiedAgain() {
        String token = Tokens.signed(Tokens.SECRET, "alice", NOW.plusSeconds(60));

        assertThat(cache.decode(token).getSubject()).isEqualTo("alice");
        assertThat(cache.decode(token).getSubject()).isEqualTo("alice");
        assertThat(verifications).hasValue(1);
    }

    @Test
    void aRememberedTokenStopsWorkingWhenItExpires() {
        String token = Tokens.signed(Tokens.SECRET, "alice", NOW.plusSeconds(60));
        cache.decode(token);

        expiry.setClock(Clock.fixed(NOW.plusSeconds(61), ZoneOffset.UTC));

        assertThatThrownBy(() -> cache.decode(token)).isInstanceOf(JwtException.class).hasMessageContaining("expired");
        assertThatThrownBy(() -> cache.decode(token)).isInstanceOf(JwtException.class);
    }

    @Test
    void aForgedTokenIsRefusedThoughTheGenuineOneIsRemembered() {
        String genuine = Tokens.signed(Tokens.SECRET, "alice", NOW.plusSeconds(60));
        cache.decode(genuine);
        String forged = Tokens.signed("another-secret-of-at-least-32-bytes-0123", "alice", NOW.plusSeconds(60));

        assertThatThrownBy(() -> cache.decode(forged)).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> cache.decode(genuine.substring(0, genuine.length() - 2) + "xx"))
                .isInstanceOf(JwtException.class);
    }

    @Test
    void itRemembersABoundedNumberOfTokens() {
        for (int i = 0; i < 5; i++) {
            cache.decode(Tokens.signed(Tokens.SECRET, "user-" + i, NOW.plusSeconds(60)));
        }
        cache.decode(Tokens.signed(Tokens.SECRET, "user-0", NOW.plusSeconds(60)));
        assertThat(verifications).as("the first token was forgotten when the cache filled").hasValue(6);
    }
}
