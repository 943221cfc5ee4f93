package dev.pawkit.sync.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.testsupport.Tokens;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Contract, "Authentication and tenancy": {@code Authorization: Bearer <JWT>}, user id = {@code sub};
 * a missing, malformed, unsigned, wrongly signed or expired token is a 401 with a problem body, and
 * a refused write writes nothing.
 */
class AuthenticationContractTest extends ContractTest {

    private static final String CARD = "{\"type\":\"md-note\",\"title\":\"auth\"}";

    @Test
    void aValidTokenIsAccepted() throws Exception {
        String user = newUser();

        HttpResponse<String> list = get(user, "/api/cards");

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list).get("items")).isEmpty();
    }

    @Test
    void noTokenIs401() throws Exception {
        assertUnauthorized(send("GET", "/api/cards", null, null, Map.of()));
    }

    @Test
    void aTokenThatIsNotAJwtIs401() throws Exception {
        assertUnauthorized(withAuthorization("Bearer not-a-jwt"));
        assertUnauthorized(withAuthorization("Bearer a.b.c"));
    }

    @Test
    void anotherAuthorizationSchemeIs401() throws Exception {
        assertUnauthorized(withAuthorization("Basic "
                + Base64.getEncoder().encodeToString("user:password".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void anUnsignedAlgNoneTokenIs401() throws Exception {
        String user = newUser();
        String header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String claims = base64Url("{\"sub\":\"" + user + "\",\"exp\":" + Instant.now().plusSeconds(3600).getEpochSecond()
                + ",\"iat\":" + Instant.now().getEpochSecond() + "}");

        assertUnauthorized(withAuthorization("Bearer " + header + "." + claims + "."));
        assertThat(eventsOf(user)).isEmpty();
    }

    @Test
    void aTokenWithoutExpANonStringSubjectOrExpiredBeyondTheSkewIs401() throws Exception {
        String user = newUser();
        long now = Instant.now().getEpochSecond();
        for (String claims : java.util.List.of(
                "{\"sub\":\"" + user + "\",\"iat\":" + now + "}",
                "{\"sub\":42,\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}",
                "{\"sub\":[\"" + user + "\"],\"exp\":" + (now + 3600) + "}",
                "{\"sub\":\"\",\"exp\":" + (now + 3600) + "}",
                "{\"exp\":" + (now + 3600) + "}",
                "{\"sub\":\"" + user + "\",\"exp\":" + (now - 10) + "}")) {
            HttpResponse<String> create = send("POST", "/api/cards", null, CARD,
                    Map.of("Authorization", "Bearer " + hs256(claims), "Idempotency-Key", newKey()));
            assertThat(create.statusCode()).as(claims).isEqualTo(401);
            assertProblem(create, 401);
        }
        assertThat(eventsOf(user)).isEmpty();
        // The same minting with a string subject and an exp is accepted: the refusals are about the claims.
        assertThat(send("GET", "/api/cards", null, null, Map.of("Authorization", "Bearer "
                + hs256("{\"sub\":\"" + user + "\",\"exp\":" + (now + 3600) + "}"))).statusCode()).isEqualTo(200);
    }

    @Test
    void aNumericSubjectIsNotTheUserNamedByItsDigits() throws Exception {
        long now = Instant.now().getEpochSecond();
        String numeric = hs256("{\"sub\":4242,\"exp\":" + (now + 3600) + "}");
        assertUnauthorized(send("GET", "/api/cards", null, null, Map.of("Authorization", "Bearer " + numeric)));
    }

    /** A token signed with the test secret, claims exactly as given. */
    private static String hs256(String claims) throws Exception {
        String signingInput = base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + base64Url(claims);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(Tokens.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return signingInput + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aTokenWithTheSignatureOfAnotherUsersTokenIs401() throws Exception {
        // Claims changed (another sub) under a signature made for the original claims.
        String victim = newUser();
        String attacker = newUser();
        String[] attackerToken = Tokens.forUser(attacker).split("\\.");
        String[] victimToken = Tokens.forUser(victim).split("\\.");

        assertUnauthorized(withAuthorization("Bearer " + attackerToken[0] + "." + victimToken[1] + "." + attackerToken[2]));
    }

    @Test
    void aTokenSignedWithAnotherSecretIs401AndWritesNothing() throws Exception {
        String user = newUser();
        String forged = Tokens.signed("another-secret-that-is-long-enough-0123456789", user,
                Instant.now().plusSeconds(3600));

        HttpResponse<String> create = send("POST", "/api/cards", null, CARD, Map.of("Authorization", "Bearer " + forged));

        assertUnauthorized(create);
        assertThat(eventsOf(user)).isEmpty();
        assertThat(liveCardIds(user)).isEmpty();
    }

    @Test
    void anExpiredTokenIs401AndWritesNothing() throws Exception {
        String user = newUser();
        String expired = Tokens.signed(Tokens.SECRET, user, Instant.now().minusSeconds(3600));

        assertUnauthorized(send("GET", "/api/cards", null, null, Map.of("Authorization", "Bearer " + expired)));
        HttpResponse<String> create = send("POST", "/api/cards", null, CARD, Map.of("Authorization", "Bearer " + expired));

        assertUnauthorized(create);
        assertThat(eventsOf(user)).isEmpty();
        assertThat(liveCardIds(user)).isEmpty();
    }

    @Test
    void aTokenWithoutSubjectIs401() throws Exception {
        // The user id is the sub claim: a token naming nobody is no user.
        String noSubject = Tokens.signed(Tokens.SECRET, null, Instant.now().plusSeconds(3600));

        assertUnauthorized(withAuthorization("Bearer " + noSubject));
    }

    @Test
    void everyVerbNeedsAToken() throws Exception {
        String user = newUser();
        String id = createCard(user, CARD).get("id").stringValue();

        assertUnauthorized(send("GET", "/api/cards/" + id, null, null, Map.of()));
        assertUnauthorized(send("GET", "/api/cards/changes", null, null, Map.of()));
        assertUnauthorized(send("PATCH", "/api/cards/" + id, null, "{\"title\":\"anonymous\"}", Map.of()));
        assertUnauthorized(send("DELETE", "/api/cards/" + id, null, null, Map.of()));
        assertUnauthorized(send("GET", "/api/commands/" + java.util.UUID.randomUUID(), null, null, Map.of()));

        assertThat(versions(eventsOf(user))).containsExactly(1L);
        assertThat(readCard(user, id).get("title").stringValue()).isEqualTo("auth");
    }

    private HttpResponse<String> withAuthorization(String value) throws Exception {
        return send("GET", "/api/cards", null, null, Map.of("Authorization", value));
    }

    private static void assertUnauthorized(HttpResponse<String> response) {
        assertProblem(response, 401);
        assertThat(header(response, "WWW-Authenticate")).as("WWW-Authenticate").startsWith("Bearer");
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
