package dev.pawkit.sync.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The web app's development sign-in on a server with a real secret (this suite's): open to callers
 * without a token, and refused with a problem, so it never mints a token there. /api stays closed.
 */
class DevSignInContractTest extends ContractTest {

    @Test
    void aServerWithoutTheDevelopmentSecretRefusesToMintTokens() throws Exception {
        HttpResponse<String> response = send("POST", "/dev/sign-in", null, "{\"user\":\"alice\"}", Map.of());

        assertProblem(response, 403, "dev-sign-in-disabled");
        assertThat(response.body()).doesNotContain("\"token\"");
    }

    @Test
    void theApiStillNeedsAToken() throws Exception {
        assertProblem(send("GET", "/api/cards", null, null, Map.of()), 401);
        assertProblem(send("POST", "/api/cards", null, "{\"type\":\"md-note\",\"title\":\"x\"}", Map.of()), 401);
    }
}
