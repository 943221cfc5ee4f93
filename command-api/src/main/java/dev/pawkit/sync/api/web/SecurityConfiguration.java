package dev.pawkit.sync.api.web;

import dev.pawkit.sync.runtime.PawkitProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Bearer JWT on every /api route (Spring Security resource server). The user id is the token's
 * {@code sub}. Locally tokens are HS256 with PAWKIT_JWT_SECRET; set
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} (or jwk-set-uri) in production and
 * Spring Boot's own decoder takes over. Operator routes need the scope {@code operator} in the
 * token's {@code scope} claim; without it they answer 403. So do the actuator's endpoints other than
 * health ({@code /actuator/prometheus}); health answers everyone, with details for operators only.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final int MAX_SUBJECT = 255;
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(5);
    private static final int MAX_VERIFIED_TOKENS = 10_000;
    /** What Spring Security makes of a token's {@code "scope": "operator"} claim. */
    static final String OPERATOR = "SCOPE_operator";
    /** What Vite builds into static/: the page, its hashed bundles, its icon. */
    private static final String[] APP_FILES = {"/", "/index.html", "/assets/**", "/favicon.svg"};
    /** springdoc's document and its Swagger UI page and files. */
    private static final String[] API_DOCS = {"/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui/**", "/swagger-ui.html"};

    /**
     * No Micrometer observation around each security filter, authentication and authorization:
     * with the actuator present Spring Security wraps each of its filters in one, which took
     * about 15% of the CPU of the server's cheapest answer (docs/benchmarks.md). The request as a
     * whole is still observed by Spring MVC's own filter.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        AuthenticationEntryPoint unauthorized = problemEntryPoint();
        AccessDeniedHandler denied = (request, response, e) -> ProblemWriter.write(response,
                Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "this token may not do that"));
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth
                        // Probes carry no token: everyone gets the status, only operators its details
                        // (management.endpoint.health.roles in application.yml).
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll()
                        // Metrics (/actuator/prometheus) and any other endpoint: operators only.
                        .requestMatchers("/actuator/**").hasAuthority(OPERATOR)
                        // The web app's files (static/ on the stack's classpath) and where its token comes
                        // from; nothing else, so every /api route still needs a token.
                        .requestMatchers(HttpMethod.GET, APP_FILES).permitAll()
                        .requestMatchers(HttpMethod.POST, "/dev/sign-in").permitAll()
                        // The API's description (OpenAPI document and Swagger UI): read-only, holds no data.
                        .requestMatchers(HttpMethod.GET, API_DOCS).permitAll()
                        // Everyone's numbers and the reset: operators only (a token with scope "operator").
                        .requestMatchers("/api/stats/global", "/api/stats/reset").hasAuthority(OPERATOR)
                        // Erasing another user: operators only (a user erases themselves at /api/me).
                        .requestMatchers("/api/users/**").hasAuthority(OPERATOR)
                        .anyRequest().authenticated())
                .oauth2ResourceServer(oauth -> oauth.jwt(jwt -> { })
                        .authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(denied))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(unauthorized).accessDeniedHandler(denied));
        return http.build();
    }

    /**
     * A request the firewall refuses, as a 400 problem: Spring Security's default rethrows it, a
     * 500, when the refusal comes from a header read after the chain began (RequestBodyReader's).
     */
    @Bean
    RequestRejectedHandler requestRejected() {
        return (request, response, e) -> ProblemWriter.write(response, Problems.rejectedByFirewall());
    }

    @Bean
    @ConditionalOnExpression("'${spring.security.oauth2.resourceserver.jwt.issuer-uri:}'.isEmpty()"
            + " and '${spring.security.oauth2.resourceserver.jwt.jwk-set-uri:}'.isEmpty()")
    JwtDecoder localHs256Decoder(PawkitProperties properties) {
        return hs256Decoder(properties.jwt().secret());
    }

    /** The local tokens' decoder; static so that a test checks a minted token with exactly this. */
    static JwtDecoder hs256Decoder(String configuredSecret) {
        byte[] secret = configuredSecret.getBytes(StandardCharsets.UTF_8);
        if (secret.length < 32) {
            throw new IllegalStateException("PAWKIT_JWT_SECRET must be at least 32 bytes for HS256");
        }
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
        // A token must expire (no exp: refused), is checked with 5 s of clock skew rather than
        // Spring's 60 (local tokens come from this host's clock), and names a usable subject: the user id.
        OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(
                new JwtTimestampValidator(CLOCK_SKEW),
                new JwtClaimValidator<Object>(JwtClaimNames.EXP, exp -> exp != null),
                new JwtClaimValidator<String>(JwtClaimNames.SUB,
                        sub -> sub != null && !sub.isBlank() && sub.length() <= MAX_SUBJECT));
        decoder.setJwtValidator(validator);
        return new VerifiedTokenCache(new StringSubjectDecoder(decoder), validator, MAX_VERIFIED_TOKENS);
    }

    /** 401 with WWW-Authenticate as the resource server sets it, and a problem body. */
    private static AuthenticationEntryPoint problemEntryPoint() {
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        return (request, response, e) -> {
            bearer.commence(request, response, e);
            ProblemWriter.write(response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                    "a valid bearer token is required: " + e.getMessage()));
        };
    }
}
