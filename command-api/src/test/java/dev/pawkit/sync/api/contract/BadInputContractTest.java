package dev.pawkit.sync.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.testsupport.Tokens;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Contract, "Card" (strict validation, no coercion, bounded sizes, 413 over 1 MiB) and "Errors":
 * bad input is a 4xx {@code application/problem+json}, never a 5xx, and never writes anything.
 */
class BadInputContractTest extends ContractTest {

    private static final String NOTE = "{\"type\":\"md-note\",\"title\":\"kept\",\"tags\":[\"a\"]}";

    static Stream<Arguments> badCreates() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"type\":\"md-note\","),
                Arguments.of("not JSON at all", "type=md-note"),
                Arguments.of("an array, not an object", "[{\"type\":\"md-note\"}]"),
                Arguments.of("JSON null", "null"),
                Arguments.of("two JSON values", "{\"type\":\"md-note\"} {\"type\":\"md-note\"}"),
                Arguments.of("a duplicated field", "{\"type\":\"md-note\",\"title\":\"a\",\"title\":\"b\"}"),
                Arguments.of("a number for title", "{\"type\":\"md-note\",\"title\":5}"),
                Arguments.of("a boolean for notes", "{\"type\":\"md-note\",\"notes\":true}"),
                Arguments.of("tags not an array", "{\"type\":\"md-note\",\"tags\":\"a,b\"}"),
                Arguments.of("a number in tags", "{\"type\":\"md-note\",\"tags\":[\"a\",1]}"),
                Arguments.of("an empty tag", "{\"type\":\"md-note\",\"tags\":[\"  \"]}"),
                Arguments.of("collections an object", "{\"type\":\"md-note\",\"collections\":{\"a\":1}}"),
                Arguments.of("pinned a string", "{\"type\":\"md-note\",\"pinned\":\"true\"}"),
                Arguments.of("pinned a number", "{\"type\":\"md-note\",\"pinned\":1}"),
                Arguments.of("metadata a string", "{\"type\":\"md-note\",\"metadata\":\"x\"}"),
                Arguments.of("an unknown metadata field", "{\"type\":\"md-note\",\"metadata\":{\"author\":\"me\"}}"),
                Arguments.of("an unknown type", "{\"type\":\"video\"}"),
                Arguments.of("a type in another case", "{\"type\":\"URL\",\"url\":\"https://example.com\"}"),
                Arguments.of("a number for type", "{\"type\":1}"),
                Arguments.of("no type", "{\"title\":\"untyped\"}"),
                Arguments.of("a null type", "{\"type\":null}"),
                Arguments.of("a url card without url", "{\"type\":\"url\",\"title\":\"no url\"}"),
                Arguments.of("a url card with a null url", "{\"type\":\"url\",\"url\":null}"),
                Arguments.of("an ftp url", "{\"type\":\"url\",\"url\":\"ftp://example.com/file\"}"),
                Arguments.of("a javascript url", "{\"type\":\"url\",\"url\":\"javascript:alert(1)\"}"),
                Arguments.of("a relative url", "{\"type\":\"url\",\"url\":\"/relative/path\"}"),
                Arguments.of("a url without scheme", "{\"type\":\"url\",\"url\":\"example.com\"}"),
                Arguments.of("a url that is not a URI", "{\"type\":\"url\",\"url\":\"https://exa mple.com\"}"),
                Arguments.of("a url on a note that is not http(s)", "{\"type\":\"md-note\",\"url\":\"file:///etc/passwd\"}"),
                Arguments.of("a relative metadata.image",
                        "{\"type\":\"md-note\",\"metadata\":{\"image\":\"/a.png\"}}"),
                Arguments.of("an unknown field", "{\"type\":\"md-note\",\"color\":\"red\"}"),
                Arguments.of("a version on create", "{\"type\":\"md-note\",\"version\":1}"),
                Arguments.of("an id that is not a UUID", "{\"id\":\"card-1\",\"type\":\"md-note\"}"),
                Arguments.of("a number for id", "{\"id\":7,\"type\":\"md-note\"}"),
                Arguments.of("a title over 1000 characters", "{\"type\":\"md-note\",\"title\":\"" + "t".repeat(1001) + "\"}"),
                Arguments.of("notes over 100000 characters", "{\"type\":\"md-note\",\"notes\":\"" + "n".repeat(100_001) + "\"}"),
                Arguments.of("content over 500000 characters",
                        "{\"type\":\"md-note\",\"content\":\"" + "c".repeat(500_001) + "\"}"),
                Arguments.of("a url over 2048 characters",
                        "{\"type\":\"url\",\"url\":\"https://example.com/" + "p".repeat(2048) + "\"}"),
                Arguments.of("a tag over 100 characters", "{\"type\":\"md-note\",\"tags\":[\"" + "t".repeat(101) + "\"]}"),
                Arguments.of("101 tags", "{\"type\":\"md-note\",\"tags\":[" + "\"t\",".repeat(100) + "\"t\"]}"),
                Arguments.of("a collection over 200 characters",
                        "{\"type\":\"md-note\",\"collections\":[\"" + "c".repeat(201) + "\"]}"),
                Arguments.of("101 collections", "{\"type\":\"md-note\",\"collections\":[" + "\"c\",".repeat(100) + "\"c\"]}"),
                Arguments.of("a description over 2000 characters",
                        "{\"type\":\"md-note\",\"metadata\":{\"description\":\"" + "d".repeat(2001) + "\"}}"));
    }

    @Test
    void invalidUnicodeIsRefusedNotStoredAsAnotherCharacter() throws Exception {
        String user = newUser();
        byte[] prefix = "{\"type\":\"md-note\",\"title\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\"}".getBytes(StandardCharsets.UTF_8);
        // An overlong '/' (C0 AF), an encoded surrogate (ED A0 80), a truncated sequence (E2 82).
        for (byte[] bad : java.util.List.of(new byte[] {(byte) 0xC0, (byte) 0xAF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xE2, (byte) 0x82})) {
            byte[] body = new byte[prefix.length + bad.length + suffix.length];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            System.arraycopy(bad, 0, body, prefix.length, bad.length);
            System.arraycopy(suffix, 0, body, prefix.length + bad.length, suffix.length);
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/cards"))
                    .header("Authorization", "Bearer " + Tokens.forUser(user))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", newKey())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            assertProblem(http.send(request, HttpResponse.BodyHandlers.ofString()), 400);
        }
        // Lone surrogates written as JSON escapes, in a value, in a tag and in a field name.
        assertProblem(post(user, "{\"type\":\"md-note\",\"title\":\"a\\ud800b\"}", newKey()), 400);
        assertProblem(post(user, "{\"type\":\"md-note\",\"tags\":[\"\\udc00\"]}", newKey()), 400);
        assertProblem(post(user, "{\"type\":\"md-note\",\"ti\\ud800\":\"x\"}", newKey()), 400);
        assertThat(eventsOf(user)).isEmpty();

        // A real astral character (an emoji as a surrogate pair) is kept exactly.
        JsonNode card = createCard(user, "{\"type\":\"md-note\",\"title\":\"dog \\ud83d\\udc36\"}");
        assertThat(text(card, "title")).isEqualTo("dog \ud83d\udc36");
        assertThat(text(readCard(user, text(card, "id")), "title")).isEqualTo("dog \uD83D\uDC36");
    }

    @ParameterizedTest(name = "query {0}: 400")
    @ValueSource(strings = {"/api/cards?limit=%ff", "/api/cards?cursor=%00%ff", "/api/cards?li%ffmit=1",
            "/api/cards/changes?since=%c0%af", "/api/cards/changes/stream?since=%ff",
            "/api/cards/00000000-0000-0000-0000-000000000000?asOf=%e2%82"})
    void badlyEncodedQueryStringsAre400(String path) throws Exception {
        assertProblem(get(newUser(), path), 400);
    }

    @Test
    void badlyEncodedQueryStringsAre400OnTheHealthProbeToo() throws Exception {
        assertProblem(send("GET", "/actuator/health?x=%ff", null, null, Map.of()), 400);
    }

    @ParameterizedTest(name = "{0} given twice: 400")
    @ValueSource(strings = {"Idempotency-Key", "If-Match", "X-Client-Id", "Prefer", "Authorization"})
    void aSingleValuedHeaderGivenTwiceIs400AndWritesNothing(String name) throws Exception {
        String user = newUser();
        String id = java.util.UUID.randomUUID().toString();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/cards"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\",\"type\":\"md-note\",\"title\":\"t\"}"));
        String token = "Bearer " + Tokens.forUser(user);
        if (!name.equals("Authorization")) {
            request.header("Authorization", token);
        }
        String first = name.equals("Authorization") ? token : name.equals("If-Match") ? "\"1\"" : "k1";
        String second = name.equals("Authorization") ? token : name.equals("If-Match") ? "\"2\"" : "k2";
        request.header(name, first).header(name, second);

        assertProblem(http.send(request.build(), HttpResponse.BodyHandlers.ofString()), 400);
        assertThat(eventsOf(user)).isEmpty();
    }

    @Test
    void twoIdempotencyKeysAreNeverJoinedIntoOne() throws Exception {
        // Joined, "k1,k2" would be a key of its own, and a retry with k1 a second card.
        String user = newUser();
        HttpRequest twice = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/cards"))
                .header("Authorization", "Bearer " + Tokens.forUser(user)).header("Content-Type", "application/json")
                .header("Idempotency-Key", "k1").header("Idempotency-Key", "k2")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"md-note\",\"title\":\"t\"}")).build();
        assertProblem(http.send(twice, HttpResponse.BodyHandlers.ofString()), 400);
        assertThat(post(user, "{\"type\":\"md-note\",\"title\":\"t\"}", "k1").statusCode()).isEqualTo(201);
        assertThat(post(user, "{\"type\":\"md-note\",\"title\":\"t\"}", "k1").statusCode()).isEqualTo(201);
        assertThat(eventsOf(user)).hasSize(1);
    }

    @ParameterizedTest(name = "create with {0}: 400")
    @MethodSource("badCreates")
    void aBadCreateIs400AndWritesNothing(String why, String body) throws Exception {
        String user = newUser();

        HttpResponse<String> response = post(user, body, newKey());

        assertProblem(response, 400);
        assertNothingWritten(user);
    }

    static Stream<Arguments> badPatches() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"title\":"),
                Arguments.of("an array", "[]"),
                Arguments.of("a number for title", "{\"title\":5}"),
                Arguments.of("tags not an array", "{\"tags\":\"a\"}"),
                Arguments.of("pinned a string", "{\"pinned\":\"false\"}"),
                Arguments.of("an unknown field", "{\"colour\":\"blue\"}"),
                Arguments.of("an id", "{\"id\":\"" + java.util.UUID.randomUUID() + "\"}"),
                Arguments.of("a relative url", "{\"url\":\"relative\"}"),
                Arguments.of("a title over 1000 characters", "{\"title\":\"" + "t".repeat(1001) + "\"}"),
                Arguments.of("a version as a string", "{\"title\":\"x\",\"version\":\"1\"}"),
                Arguments.of("a fractional version", "{\"title\":\"x\",\"version\":1.5}"),
                Arguments.of("version 0", "{\"title\":\"x\",\"version\":0}"),
                Arguments.of("a negative version", "{\"title\":\"x\",\"version\":-1}"));
    }

    @ParameterizedTest(name = "update with {0}: 400")
    @MethodSource("badPatches")
    void aBadUpdateIs400AndLeavesTheCardAlone(String why, String body) throws Exception {
        String user = newUser();
        JsonNode card = createCard(user, NOTE);
        String id = text(card, "id");

        HttpResponse<String> response = patch(user, id, body, Map.of("Idempotency-Key", newKey()));

        assertProblem(response, 400);
        assertUnchanged(user, card);
    }

    @ParameterizedTest(name = "If-Match {0}: 400")
    @ValueSource(strings = {"1", "\"abc\"", "\"0\"", "\"\"", "W/\"1\"x"})
    void aMalformedIfMatchIs400(String ifMatch) throws Exception {
        String user = newUser();
        JsonNode card = createCard(user, NOTE);

        assertProblem(patch(user, text(card, "id"), "{\"title\":\"x\"}", Map.of("If-Match", ifMatch)), 400);
        assertProblem(send("DELETE", "/api/cards/" + text(card, "id"), user, null, Map.of("If-Match", ifMatch)), 400);
        assertUnchanged(user, card);
    }

    @ParameterizedTest(name = "DELETE {0}: 400")
    @ValueSource(strings = {"?version=abc", "?version=0", "?version=-2", "?version=1.0"})
    void aBadDeleteVersionIs400(String query) throws Exception {
        String user = newUser();
        JsonNode card = createCard(user, NOTE);

        assertProblem(send("DELETE", "/api/cards/" + text(card, "id") + query, user, null, Map.of()), 400);
        assertUnchanged(user, card);
    }

    @Test
    void aDeleteWithBadOrConflictingBodiesIs400() throws Exception {
        String user = newUser();
        JsonNode card = createCard(user, NOTE);
        String path = "/api/cards/" + text(card, "id");

        assertProblem(send("DELETE", path, user, "{\"version\":\"1\"}", Map.of()), 400);
        assertProblem(send("DELETE", path, user, "{\"title\":\"x\"}", Map.of()), 400);
        assertProblem(send("DELETE", path, user, "{\"version\":", Map.of()), 400);
        assertProblem(send("DELETE", path + "?version=1", user, "{\"version\":1}", Map.of()), 400);
        assertUnchanged(user, card);
    }

    @Test
    void aBodyOver1MiBIs413AndWritesNothing() throws Exception {
        String user = newUser();
        String body = "{\"type\":\"md-note\",\"content\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";

        HttpResponse<String> response = post(user, body, newKey());

        assertProblem(response, 413);
        assertNothingWritten(user);
    }

    @Test
    void aChunkedBodyOver1MiBIs413AndWritesNothing() throws Exception {
        String user = newUser();
        byte[] body = ("{\"type\":\"md-note\",\"content\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        // No Content-Length: the server has to count.
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/cards"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + Tokens.forUser(user))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertProblem(response, 413);
        assertNothingWritten(user);
    }

    @Test
    void aBodyJustUnder1MiBIsNotRefusedForItsSize() throws Exception {
        String user = newUser();
        // Valid JSON, within 1 MiB, over the content limit: a 400 for the field, not a 413.
        String prefix = "{\"type\":\"md-note\",\"content\":\"";
        String body = prefix + "x".repeat(1024 * 1024 - prefix.length() - 2) + "\"}";
        assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(1024 * 1024);

        assertProblem(post(user, body, newKey()), 400);
        assertNothingWritten(user);
    }

    @Test
    void anIdempotencyKeyOver255CharactersIs400AndWritesNothing() throws Exception {
        String user = newUser();

        HttpResponse<String> response = post(user, NOTE, "k".repeat(300));

        assertProblem(response, 400);
        assertThat(post(user, NOTE, "k".repeat(256)).statusCode()).isEqualTo(400);
        assertNothingWritten(user);
    }

    @Test
    void aNonAsciiIdempotencyKeyIs400AndWritesNothing() throws Exception {
        String user = newUser();

        // Sent as UTF-8 bytes on the wire (the JDK client would turn them into '?').
        RawAnswer answer = rawBytes("POST", "/api/cards", user, Map.of("Idempotency-Key", "cl\u00e9-\u00e9t\u00e9"), NOTE);

        assertProblem(answer.status(), answer.contentType(), answer.body(), 400);
        assertNothingWritten(user);
    }

    @Test
    void aControlCharacterInTheIdempotencyKeyIs400() throws Exception {
        String user = newUser();

        RawAnswer answer = rawBytes("POST", "/api/cards", user, Map.of("Idempotency-Key", "tab\there"), NOTE);

        assertProblem(answer.status(), answer.contentType(), answer.body(), 400);
        assertNothingWritten(user);
    }

    @Test
    void anIfMatchTheFirewallRefusesIs400AndLeavesTheCardAlone() throws Exception {
        // Found by the fuzzer: Spring Security's firewall checks a header when the controller reads
        // it, and its refusal of raw UTF-8 bytes (the euro sign's 0x82 is a C1 control to it) was a 500.
        String user = newUser();
        JsonNode card = createCard(user, NOTE);
        String path = "/api/cards/" + text(card, "id");

        RawAnswer patch = rawBytes("PATCH", path, user, Map.of("If-Match", "\"\u20ac\""), "{\"title\":\"x\"}");
        assertProblem(patch.status(), patch.contentType(), patch.body(), 400);
        RawAnswer delete = rawBytes("DELETE", path, user, Map.of("If-Match", "\"\u20ac1\""), null);
        assertProblem(delete.status(), delete.contentType(), delete.body(), 400);
        assertUnchanged(user, card);
    }

    @Test
    void aBadIdempotencyKeyOnAnUpdateOrDeleteIs400AndLeavesTheCardAlone() throws Exception {
        String user = newUser();
        JsonNode card = createCard(user, NOTE);
        String path = "/api/cards/" + text(card, "id");

        assertProblem(patch(user, text(card, "id"), "{\"title\":\"x\"}", Map.of("Idempotency-Key", "k".repeat(300))), 400);
        assertProblem(send("DELETE", path, user, null, Map.of("Idempotency-Key", "k".repeat(256))), 400);
        RawAnswer nonAsciiPatch = rawBytes("PATCH", path, user, Map.of("Idempotency-Key", "\u00e9"), "{\"title\":\"x\"}");
        assertProblem(nonAsciiPatch.status(), nonAsciiPatch.contentType(), nonAsciiPatch.body(), 400);
        RawAnswer nonAsciiDelete = rawBytes("DELETE", path, user, Map.of("Idempotency-Key", "\u00e9"), null);
        assertProblem(nonAsciiDelete.status(), nonAsciiDelete.contentType(), nonAsciiDelete.body(), 400);
        assertUnchanged(user, card);
    }

    @ParameterizedTest(name = "limit={0}: 400")
    @ValueSource(strings = {"0", "1001", "abc", "-1", "1.5", "", "99999999999"})
    void aBadLimitIs400OnListAndFeed(String limit) throws Exception {
        String user = newUser();

        assertProblem(get(user, "/api/cards?limit=" + limit), 400);
        assertProblem(get(user, "/api/cards/changes?limit=" + limit), 400);
    }

    @Test
    void aBadCursorIs400() throws Exception {
        String user = newUser();
        for (int i = 0; i < 3; i++) {
            createCard(user, NOTE);
        }
        String listCursor = json(get(user, "/api/cards?limit=1")).get("nextCursor").stringValue();
        String feedCursor = json(get(user, "/api/cards/changes?limit=1")).get("nextSince").stringValue();
        assertThat(get(user, "/api/cards?limit=1&cursor=" + listCursor).statusCode()).isEqualTo(200);
        assertThat(get(user, "/api/cards/changes?since=" + feedCursor).statusCode()).isEqualTo(200);

        assertProblem(get(user, "/api/cards?cursor=garbage"), 400);
        assertProblem(get(user, "/api/cards?cursor=%21%21%21"), 400);
        assertProblem(get(user, "/api/cards?cursor=" + base64Url("list:not-a-uuid")), 400);
        assertProblem(get(user, "/api/cards?cursor=" + feedCursor), 400);
        assertProblem(get(user, "/api/cards/changes?since=garbage"), 400);
        assertProblem(get(user, "/api/cards/changes?since=" + base64Url("changes:-5")), 400);
        assertProblem(get(user, "/api/cards/changes?since=" + base64Url("changes:abc")), 400);
        assertProblem(get(user, "/api/cards/changes?since=" + listCursor), 400);
        assertThat(eventsOf(user)).hasSize(3);
    }

    @ParameterizedTest(name = "card id {0}: 400")
    @ValueSource(strings = {"not-a-uuid", "123", "00000000-0000-0000-0000-00000000000g"})
    void aCardIdThatIsNotAUuidIs400OnEveryVerb(String id) throws Exception {
        String user = newUser();

        assertProblem(get(user, "/api/cards/" + id), 400);
        assertProblem(patch(user, id, "{\"title\":\"x\"}"), 400);
        assertProblem(send("DELETE", "/api/cards/" + id, user, null, Map.of()), 400);
        assertProblem(get(user, "/api/commands/" + id), 400);
        assertNothingWritten(user);
    }

    @ParameterizedTest(name = "Content-Type {0}: 415")
    // A wildcard type was found by the fuzzer: Spring threw on it, a 500.
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/xml", "not a media type",
            "*/*", "application/*"})
    void aBodyThatIsNotJsonIs415AndWritesNothing(String contentType) throws Exception {
        String user = newUser();
        JsonNode card = createCard(user, NOTE);

        assertProblem(raw("POST", "/api/cards", user, "{\"type\":\"md-note\"}", Map.of("Content-Type", contentType)), 415);
        assertProblem(raw("PATCH", "/api/cards/" + text(card, "id"), user, "{\"title\":\"x\"}",
                Map.of("Content-Type", contentType)), 415);
        assertUnchanged(user, card);
    }

    @Test
    void aBodyWithoutContentTypeIs415() throws Exception {
        String user = newUser();

        assertProblem(raw("POST", "/api/cards", user, "{\"type\":\"md-note\"}", Map.of()), 415);
        assertNothingWritten(user);
    }

    @Test
    void anEmptyCreateIs400() throws Exception {
        String user = newUser();

        assertProblem(raw("POST", "/api/cards", user, null, Map.of()), 400);
        assertProblem(raw("POST", "/api/cards", user, "", Map.of("Content-Type", "application/json")), 400);
        assertNothingWritten(user);
    }

    @Test
    void aJsonContentTypeWithCharsetIsAccepted() throws Exception {
        String user = newUser();

        HttpResponse<String> created = raw("POST", "/api/cards", user, "{\"type\":\"md-note\"}",
                Map.of("Content-Type", "application/json; charset=utf-8"));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(eventsOf(user)).hasSize(1);
    }

    @Test
    void anUnknownRouteIsA404Problem() throws Exception {
        String user = newUser();

        assertProblem(get(user, "/api/nothing-here"), 404);
        assertProblem(send("POST", "/api/nothing-here", user, "{\"type\":\"md-note\"}", Map.of()), 404);
        assertNothingWritten(user);
    }

    @Test
    void anUnsupportedMethodIsA405Problem() throws Exception {
        String user = newUser();

        assertProblem(send("PUT", "/api/cards/" + java.util.UUID.randomUUID(), user, "{\"type\":\"md-note\"}", Map.of()), 405);
        assertProblem(send("DELETE", "/api/cards", user, null, Map.of()), 405);
        assertNothingWritten(user);
    }

    private void assertNothingWritten(String user) throws Exception {
        assertThat(eventsOf(user)).as("events of %s", user).isEmpty();
        assertThat(liveCardIds(user)).isEmpty();
        assertThat(json(get(user, "/api/cards/changes")).get("items")).isEmpty();
    }

    private void assertUnchanged(String user, JsonNode card) throws Exception {
        assertThat(readCard(user, text(card, "id"))).isEqualTo(card);
        assertThat(versions(eventsOf(user))).containsExactly(1L);
        assertThat(liveCardIds(user)).containsExactly(text(card, "id"));
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
