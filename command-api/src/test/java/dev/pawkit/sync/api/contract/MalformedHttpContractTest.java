package dev.pawkit.sync.api.contract;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests broken below the API (the request line, headers, the path itself), refused by Tomcat
 * or the firewall before any controller: still a 4xx {@code application/problem+json} with type,
 * title, status and detail, never an HTML page, Spring's default JSON, or a 500.
 */
class MalformedHttpContractTest extends ContractTest {

    static Stream<Arguments> malformed() {
        String host = "Host: 127.0.0.1\r\n";
        return Stream.of(
                Arguments.of("a header over 8 KiB", "GET /api/cards HTTP/1.0\r\n" + host + "X-Big: "
                        + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n", 400),
                Arguments.of("a header line without a colon", "GET /api/cards HTTP/1.0\r\n" + host
                        + "NoColonHere\r\nConnection: close\r\n\r\n", 400),
                Arguments.of("an encoded slash in the path", "GET /api/cards/a%2Fb HTTP/1.0\r\n" + host
                        + "Connection: close\r\n\r\n", 400),
                Arguments.of("an encoded NUL in the path", "GET /api/cards/a%00b HTTP/1.0\r\n" + host
                        + "Connection: close\r\n\r\n", 400),
                Arguments.of("a URL over 8 KiB", "GET /api/cards?x=" + "a".repeat(20_000) + " HTTP/1.0\r\n" + host
                        + "Connection: close\r\n\r\n", 400),
                Arguments.of("a negative Content-Length", "POST /api/cards HTTP/1.0\r\n" + host
                        + "Content-Length: -5\r\nConnection: close\r\n\r\n", 400),
                Arguments.of("'..' in the path", "GET /api/../api/cards HTTP/1.0\r\n" + host
                        + "Connection: close\r\n\r\n", 400),
                Arguments.of("an encoded '..' in the path", "GET /api/%2e%2e/api/cards HTTP/1.0\r\n" + host
                        + "Connection: close\r\n\r\n", 400),
                Arguments.of("a path parameter with a broken encoding (found by the fuzzer: a 500)",
                        "GET /api/cards/;% HTTP/1.0\r\n" + host + "Connection: close\r\n\r\n", 400),
                Arguments.of("a path parameter", "GET /api/cards;a=b HTTP/1.0\r\n" + host
                        + "Connection: close\r\n\r\n", 400),
                Arguments.of("CONNECT (found by the fuzzer: Tomcat's 501)", "CONNECT /api/cards HTTP/1.0\r\n" + host
                        + "Connection: close\r\n\r\n", 400),
                Arguments.of("a transfer coding Tomcat does not know (its 501)", "POST /api/cards HTTP/1.1\r\n" + host
                        + "Transfer-Encoding: gzip\r\nConnection: close\r\n\r\n", 400),
                Arguments.of("an unknown method", "FOO /api/cards HTTP/1.0\r\n" + host
                        + "Connection: close\r\n\r\n", 400),
                Arguments.of("TRACE", "TRACE /api/cards HTTP/1.0\r\n" + host + "Connection: close\r\n\r\n", 405),
                Arguments.of("TRACE with a broken path parameter (found by the fuzzer: a 500 from the error page)",
                        "TRACE /api/cards/;% HTTP/1.0\r\n" + host + "Connection: close\r\n\r\n", 405),
                Arguments.of("GET /error", "GET /error HTTP/1.0\r\n" + host + "Connection: close\r\n\r\n", 404));
    }

    @ParameterizedTest(name = "{0}: {2} problem")
    @MethodSource("malformed")
    void isAProblemAnswer(String what, String request, int status) throws Exception {
        RawAnswer answer = exchange(request.getBytes(StandardCharsets.ISO_8859_1));
        assertProblem(answer.status(), answer.contentType(), answer.body(), status);
    }
}
