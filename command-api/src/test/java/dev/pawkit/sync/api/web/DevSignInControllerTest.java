package dev.pawkit.sync.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The development sign-in: a token the server's own decoder accepts, under the development secret
 * only; bad input is a 400 problem. The route's permit and a real request with the token: the web
 * e2e tests (web/e2e) and {@code contract.DevSignInContractTest}.
 */
class DevSignInControllerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void underTheDevelopmentSecretItMintsATokenTheServerAccepts() throws Exception {
        MockHttpServletResponse response = signIn(DevelopmentTokens.DEVELOPMENT_SECRET, "{\"user\":\"  alice \"}");

        assertThat(response.getStatus()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.getContentAsString());
        assertThat(body.get("user").stringValue()).isEqualTo("alice");
        Jwt jwt = SecurityConfiguration.hs256Decoder(DevelopmentTokens.DEVELOPMENT_SECRET)
                .decode(body.get("token").stringValue());
        assertThat(jwt.getSubject()).isEqualTo("alice");
        assertThat(jwt.getExpiresAt()).isEqualTo(Instant.parse(body.get("expiresAt").stringValue()));
        assertThat(jwt.getExpiresAt()).isAfter(Instant.now().plus(DevelopmentTokens.VALIDITY).minusSeconds(60));
    }

    @Test
    void underAnotherSecretItIsRefusedWithAProblem() throws Exception {
        MockHttpServletResponse response = signIn("a-real-secret-that-is-long-enough-0123456789", "{\"user\":\"alice\"}");

        assertProblem(response, 403, "dev-sign-in-disabled");
        assertThat(response.getContentAsString()).doesNotContain("\"token\"");
    }

    @Test
    void aMissingBlankOrOversizedUserIs400() throws Exception {
        for (String body : new String[] {null, "", "not json", "[]", "{}", "{\"user\":null}", "{\"user\":7}",
                "{\"user\":\"   \"}", "{\"user\":\"" + "a".repeat(DevSignInController.MAX_USER + 1) + "\"}",
                "{\"user\":\"a\\u0000b\"}"}) {
            assertProblem(signIn(DevelopmentTokens.DEVELOPMENT_SECRET, body), 400, "invalid-request");
        }
        assertThat(signIn(DevelopmentTokens.DEVELOPMENT_SECRET,
                "{\"user\":\"" + "a".repeat(DevSignInController.MAX_USER) + "\"}").getStatus()).isEqualTo(200);
    }

    private static MockHttpServletResponse signIn(String secret, String body) throws Exception {
        MockMvc mvc = MockMvcBuilders
                .standaloneSetup(new DevSignInController(new DevelopmentTokens(secret, Clock.systemUTC())))
                .setControllerAdvice(new ApiExceptionHandler()).build();
        var request = post("/dev/sign-in").contentType(MediaType.APPLICATION_JSON);
        if (body != null) {
            request.content(body);
        }
        return mvc.perform(request).andReturn().getResponse();
    }

    private static void assertProblem(MockHttpServletResponse response, int status, String type) throws Exception {
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(status);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.getContentAsString());
        assertThat(problem.get("type").stringValue()).endsWith("/" + type);
        assertThat(problem.get("status").intValue()).isEqualTo(status);
        assertThat(problem.get("detail").stringValue()).isNotBlank();
    }
}
