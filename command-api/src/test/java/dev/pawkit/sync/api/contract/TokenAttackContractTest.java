package dev.pawkit.sync.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.pawkit.sync.infra.FreePorts;
import dev.pawkit.sync.testsupport.Tokens;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13, "Hostile input": forged, confused, stale and oversized tokens. Each is refused with a
 * 401 problem (a token too big for HTTP's header limit with a 4xx problem), on every verb, without
 * returning or writing anything; and a valid token of one user never reaches another user's card.
 * A JWKS server the attacker controls stands by: the API must never ask it for keys.
 */
class TokenAttackContractTest extends ContractTest {

    private static final String MARKER = "token-attack-secret-title";

    private static HttpServer attackerKeys;
    private static final AtomicInteger attackerKeyFetches = new AtomicInteger();
    private static RSAKey attackerRsa;

    @BeforeAll
    static void startAttackerKeyServer() throws Exception {
        attackerRsa = new RSAKeyGenerator(2048).keyID("attacker").generate();
        byte[] jwks = new JWKSet(attackerRsa.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        attackerKeys = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.pick()), 0);
        attackerKeys.createContext("/", exchange -> {
            attackerKeyFetches.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        attackerKeys.start();
    }

    @AfterAll
    static void stopAttackerKeyServer() {
        attackerKeys.stop(0);
    }

    @Test
    void everyForgedOrInvalidTokenIs401OnEveryVerbAndWritesNothing() throws Exception {
        String victim = newUser();
        JsonNode card = createCard(victim, "{\"type\":\"md-note\",\"title\":\"" + MARKER + "\"}");
        String cardId = text(card, "id");

        Map<String, String> attacks = attacks(victim);
        List<String> refused = new ArrayList<>();
        for (Map.Entry<String, String> attack : attacks.entrySet()) {
            String authorization = "Bearer " + attack.getValue();
            for (String[] request : List.of(
                    new String[] {"GET", "/api/cards", null},
                    new String[] {"GET", "/api/cards/" + cardId, null},
                    new String[] {"GET", "/api/cards/" + cardId + "/history", null},
                    new String[] {"GET", "/api/cards/changes", null},
                    new String[] {"POST", "/api/cards", "{\"type\":\"md-note\",\"title\":\"forged\"}"},
                    new String[] {"PATCH", "/api/cards/" + cardId, "{\"title\":\"forged\"}"},
                    new String[] {"DELETE", "/api/cards/" + cardId, null})) {
                HttpResponse<String> answer = send(request[0], request[1], null, request[2],
                        Map.of("Authorization", authorization, "Idempotency-Key", newKey()));
                assertProblem(answer, 401);
                assertThat(header(answer, "WWW-Authenticate")).as(attack.getKey()).startsWith("Bearer");
                assertThat(answer.body()).as(attack.getKey()).doesNotContain(MARKER).doesNotContain("\"items\"");
                refused.add(attack.getKey() + " " + request[0] + " " + request[1]);
            }
        }

        assertThat(refused).hasSize(attacks.size() * 7);
        assertThat(versions(eventsOf(victim))).containsExactly(1L);
        assertThat(committedLog().commandsOf(victim)).hasSize(1);
        assertThat(readCard(victim, cardId)).isEqualTo(card);
        assertThat(attackerKeyFetches).as("keys fetched from the token's jku/x5u").hasValue(0);
    }

    @Test
    void aTokenOver64KiBIsA4xxProblemNeverA5xxOrHtml() throws Exception {
        String user = newUser();
        String huge = signedHs256("{\"sub\":\"" + user + "\",\"exp\":" + inAnHour() + ",\"pad\":\""
                + "p".repeat(64 * 1024) + "\"}", Tokens.SECRET);

        RawAnswer answer = exchange(("POST /api/cards HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + huge
                + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));

        assertThat(answer.status()).isIn(400, 401, 431);
        assertProblem(answer.status(), answer.contentType(), answer.body(), answer.status());
        assertThat(eventsOf(user)).isEmpty();
    }

    @Test
    void twoAuthorizationHeadersAre400AndWriteNothing() throws Exception {
        String user = newUser();
        String request = "POST /api/cards HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + Tokens.forUser(user) + "\r\n"
                + "Authorization: Bearer " + Tokens.forUser(newUser()) + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: 18\r\n\r\n{\"type\":\"md-note\"}";

        RawAnswer answer = exchange(request.getBytes(StandardCharsets.US_ASCII));

        // Which of two identities was meant is unknowable: refused before authentication (SingleValuedHeadersFilter).
        assertProblem(answer.status(), answer.contentType(), answer.body(), 400);
        assertThat(eventsOf(user)).isEmpty();
    }

    @Test
    void aValidTokenOfOneUserNeverReadsOrWritesAnotherUsersCard() throws Exception {
        String owner = newUser();
        String intruder = newUser();
        JsonNode card = createCard(owner, "{\"type\":\"url\",\"url\":\"https://example.com/" + MARKER + "\",\"title\":\""
                + MARKER + "\"}");
        String id = text(card, "id");
        HttpResponse<String> accepted = send("PATCH", "/api/cards/" + id, owner, "{\"notes\":\"n\"}",
                Map.of("Idempotency-Key", newKey(), "Prefer", "respond-async"));
        assertThat(accepted.statusCode()).isEqualTo(202);
        String ownersCommand = header(accepted, "Location");
        JsonNode updated = json(awaitDecision(owner, ownersCommand));

        List<HttpResponse<String>> answers = List.of(
                get(intruder, "/api/cards/" + id),
                get(intruder, "/api/cards/" + id + "?asOfVersion=1"),
                get(intruder, "/api/cards/" + id + "/history"),
                get(intruder, ownersCommand),
                patch(intruder, id, "{\"title\":\"stolen\"}", Map.of("Idempotency-Key", newKey())),
                patch(intruder, id, "{\"title\":\"stolen\"}", Map.of("If-Match", "\"2\"")),
                send("DELETE", "/api/cards/" + id + "?version=2", intruder, null, Map.of()),
                send("POST", "/api/cards/" + id + "/refresh-metadata", intruder, null, Map.of()));
        for (HttpResponse<String> answer : answers) {
            assertProblem(answer, 404);
            assertThat(answer.body()).doesNotContain(MARKER);
        }
        HttpResponse<String> batch = send("POST", "/api/batch", intruder, "{\"operations\":[{\"method\":\"PATCH\",\"path\":"
                + "\"/api/cards/" + id + "\",\"body\":{\"title\":\"stolen\"}},{\"method\":\"DELETE\",\"path\":\"/api/cards/"
                + id + "\"}]}", Map.of());
        assertThat(batch.statusCode()).isEqualTo(200);
        for (JsonNode result : json(batch).get("results")) {
            assertThat(result.get("status").intValue()).isEqualTo(404);
        }
        assertThat(batch.body()).doesNotContain(MARKER);
        for (String path : List.of("/api/cards", "/api/cards/changes")) {
            assertThat(get(intruder, path).body()).doesNotContain(MARKER).doesNotContain(id);
        }

        assertThat(versions(eventsOf(owner))).containsExactly(1L, 2L);
        assertThat(readCard(owner, id)).isEqualTo(updated);
        assertThat(eventsOf(intruder)).isEmpty();
    }

    /** Each attack by name: a token that must not authenticate anyone (the claims name {@code victim}). */
    private static Map<String, String> attacks(String victim) throws Exception {
        long now = Instant.now().getEpochSecond();
        String claims = "{\"sub\":\"" + victim + "\",\"exp\":" + inAnHour() + ",\"iat\":" + now + "}";
        JWTClaimsSet claimSet = new JWTClaimsSet.Builder().subject(victim).expirationTime(Date.from(Instant.now()
                .plusSeconds(3600))).issueTime(new Date()).build();
        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        String jwksUrl = "http://127.0.0.1:" + attackerKeys.getAddress().getPort() + "/jwks.json";

        Map<String, String> attacks = new LinkedHashMap<>();
        attacks.put("alg none", base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + base64Url(claims) + ".");
        attacks.put("alg None", base64Url("{\"alg\":\"None\"}") + "." + base64Url(claims) + ".");
        attacks.put("alg none with a signature", base64Url("{\"alg\":\"none\"}") + "." + base64Url(claims) + "."
                + signedHs256(claims, Tokens.SECRET).split("\\.")[2]);
        attacks.put("HS384 with the secret", signedMac("HS384", "HmacSHA384", claims, Tokens.SECRET.getBytes(StandardCharsets.UTF_8)));
        attacks.put("HS512 with the secret", signedMac("HS512", "HmacSHA512", claims, Tokens.SECRET.getBytes(StandardCharsets.UTF_8)));
        attacks.put("RS256", signed(new JWSHeader(JWSAlgorithm.RS256), claimSet, new RSASSASigner(attackerRsa)));
        attacks.put("ES256", signed(new JWSHeader(JWSAlgorithm.ES256), claimSet, new ECDSASigner(ec)));
        attacks.put("HS256 keyed with an RSA public key (DER)", signedMac("HS256", "HmacSHA256", claims,
                attackerRsa.toPublicKey().getEncoded()));
        attacks.put("HS256 keyed with an RSA public key (PEM)", signedMac("HS256", "HmacSHA256", claims,
                ("-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(attackerRsa.toPublicKey().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII)));
        attacks.put("RS256 with jku to the attacker's keys", signed(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("attacker").jwkURL(URI.create(jwksUrl)).build(), claimSet, new RSASSASigner(attackerRsa)));
        attacks.put("RS256 with x5u to the attacker", signed(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("attacker").x509CertURL(URI.create(jwksUrl)).build(), claimSet, new RSASSASigner(attackerRsa)));
        attacks.put("RS256 with the attacker's embedded jwk", signed(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .jwk(attackerRsa.toPublicJWK()).build(), claimSet, new RSASSASigner(attackerRsa)));
        attacks.put("HS256 of another secret with a kid and jku", signedMac(
                "HS256\",\"kid\":\"../../dev/null\",\"jku\":\"" + jwksUrl, "HmacSHA256", claims,
                "attacker-secret-that-is-long-enough-0123456789".getBytes(StandardCharsets.UTF_8)));
        attacks.put("expired", Tokens.signed(Tokens.SECRET, victim, Instant.now().minusSeconds(60)));
        attacks.put("no exp", signedHs256("{\"sub\":\"" + victim + "\",\"iat\":" + now + "}", Tokens.SECRET));
        attacks.put("nbf in an hour", signedHs256("{\"sub\":\"" + victim + "\",\"exp\":" + inAnHour() + ",\"nbf\":"
                + (now + 3600) + "}", Tokens.SECRET));
        attacks.put("no sub", signedHs256("{\"exp\":" + inAnHour() + "}", Tokens.SECRET));
        attacks.put("null sub", signedHs256("{\"sub\":null,\"exp\":" + inAnHour() + "}", Tokens.SECRET));
        attacks.put("numeric sub", signedHs256("{\"sub\":42,\"exp\":" + inAnHour() + "}", Tokens.SECRET));
        attacks.put("object sub", signedHs256("{\"sub\":{\"id\":\"" + victim + "\"},\"exp\":" + inAnHour() + "}", Tokens.SECRET));
        attacks.put("array sub", signedHs256("{\"sub\":[\"" + victim + "\"],\"exp\":" + inAnHour() + "}", Tokens.SECRET));
        attacks.put("empty sub", signedHs256("{\"sub\":\"\",\"exp\":" + inAnHour() + "}", Tokens.SECRET));
        attacks.put("blank sub", signedHs256("{\"sub\":\"   \",\"exp\":" + inAnHour() + "}", Tokens.SECRET));
        attacks.put("exp a string", signedHs256("{\"sub\":\"" + victim + "\",\"exp\":\"tomorrow\"}", Tokens.SECRET));
        attacks.put("another secret", Tokens.signed("another-secret-that-is-long-enough-0123456789", victim,
                Instant.now().plusSeconds(3600)));
        String valid = Tokens.forUser(victim);
        attacks.put("signature truncated", valid.substring(0, valid.length() - 5));
        attacks.put("signature removed", valid.substring(0, valid.lastIndexOf('.') + 1));
        attacks.put("claims altered", valid.split("\\.")[0] + "." + base64Url(claims.replace("\"iat\"", "\"x\":1,\"iat\""))
                + "." + valid.split("\\.")[2]);
        attacks.put("garbage base64", "!!!.@@@.###");
        attacks.put("header not JSON", base64Url("not json") + "." + base64Url(claims) + "." + valid.split("\\.")[2]);
        attacks.put("claims not JSON", valid.split("\\.")[0] + "." + base64Url("[1,2") + "." + valid.split("\\.")[2]);
        attacks.put("two parts", valid.substring(0, valid.lastIndexOf('.')));
        attacks.put("four parts", valid + ".extra");
        attacks.put("8 KiB of garbage", "a".repeat(7_000));
        return attacks;
    }

    private static long inAnHour() {
        return Instant.now().plusSeconds(3600).getEpochSecond();
    }

    private static String signed(JWSHeader header, JWTClaimsSet claims, com.nimbusds.jose.JWSSigner signer)
            throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(header).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static String signedHs256(String claims, String secret) throws Exception {
        return signedMac("HS256", "HmacSHA256", claims, secret.getBytes(StandardCharsets.UTF_8));
    }

    /** A MAC-signed token, header {@code {"alg":"<alg>","typ":"JWT"}} and claims exactly as given, any key length. */
    private static String signedMac(String alg, String macAlgorithm, String claims, byte[] key) throws Exception {
        String signingInput = base64Url("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + base64Url(claims);
        Mac mac = Mac.getInstance(macAlgorithm);
        mac.init(new SecretKeySpec(key, macAlgorithm));
        return signingInput + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
