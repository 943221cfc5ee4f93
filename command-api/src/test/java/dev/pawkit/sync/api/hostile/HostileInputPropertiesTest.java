package dev.pawkit.sync.api.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.PawkitApplication;
import dev.pawkit.sync.api.hostile.RawHttp.Answer;
import dev.pawkit.sync.api.hostile.RawHttp.Header;
import dev.pawkit.sync.testsupport.CommittedLog;
import dev.pawkit.sync.testsupport.EmbeddedStack;
import dev.pawkit.sync.testsupport.Tokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeProperty;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 13, "Hostile input": property-based fuzzing of the HTTP edge (jqwik) against the real
 * application on a real broker. Bodies, headers, paths and query strings of every shape are sent
 * byte for byte over sockets ({@link RawHttp}); for every answer:
 * <ul>
 *   <li>never a 5xx, never no answer at all;</li>
 *   <li>every 4xx is {@code application/problem+json} with a {@code type}, a {@code title} and a
 *       {@code status} equal to the HTTP status;</li>
 *   <li>no answer shows another user's card (a victim's cards carry a marker the fuzzers never send).</li>
 * </ul>
 * After each property, exactly: the fuzzing user's commands in the log are the requests that
 * reached the projector (answered with its decision, applied or rejected), and its events are the
 * writes answered 2xx, so nothing refused at the edge was written; and the victim's cards are as
 * they were. Each property has a user of its own. The summary line counts every request by status.
 */
class HostileInputPropertiesTest {

    /** Statuses of a write that only the projector gives: the command was appended and decided. */
    private static final List<Integer> DECIDED = List.of(200, 201, 202, 404, 409, 410, 412, 422);
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern CARD = Pattern.compile("/api/cards/" + UUID_TEXT.pattern());
    private static final Pattern REFRESH = Pattern.compile("/api/cards/" + UUID_TEXT.pattern() + "/refresh-metadata");
    private static final String MARKER = "victim-marker-7f3a";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static EmbeddedStack stack;
    private static CommittedLog log;
    private static String victim;
    private static final List<String> victimCards = new ArrayList<>();
    /** Requests by status class: index 0 no answer, 1..5 the class. */
    private static final AtomicLongArray byClass = new AtomicLongArray(6);
    private static long problems;

    private String user;
    private String token;
    private String ownCard;
    private long decided;
    private long applied;
    /** The last version an answer showed, per card of this property's user. */
    private final Map<String, Long> versions = new java.util.HashMap<>();

    @BeforeContainer
    static void start() throws Exception {
        stack = EmbeddedStack.start(PawkitApplication.class, Map.of("pawkit.enricher.enabled", "false"));
        log = new CommittedLog(stack.bootstrapServers());
        victim = "victim-" + UUID.randomUUID();
        // Analytics answers 503 while it starts (a fact of the server, not of the input): wait for it.
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (send("GET", "/api/stats", victim, List.of(), null).status() != 200) {
            assertThat(System.nanoTime()).as("analytics never started").isLessThan(deadline);
            Thread.sleep(200);
        }
        for (String type : List.of("md-note", "text-note", "url")) {
            Answer created = send("POST", "/api/cards", victim, List.of(Header.of("Content-Type", "application/json")),
                    ("{\"type\":\"" + type + "\",\"title\":\"" + MARKER + "\",\"url\":\"https://example.com/" + MARKER
                            + "\",\"tags\":[\"" + MARKER + "\"]}").getBytes(StandardCharsets.UTF_8));
            assertThat(created.status()).as(created.bodyText()).isEqualTo(201);
            victimCards.add(JSON.readTree(created.body()).get("id").stringValue());
        }
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            assertThat(log.eventsOf(victim)).as("the victim's cards were not touched").hasSize(3);
            for (String id : victimCards) {
                Answer card = send("GET", "/api/cards/" + id, victim, List.of(), null);
                assertThat(JSON.readTree(card.body()).get("version").longValue()).isEqualTo(1);
            }
            long total = 0;
            for (int i = 0; i < byClass.length(); i++) {
                total += byClass.get(i);
            }
            System.out.printf("hostile-input: requests=%d 2xx=%d 3xx=%d 4xx=%d 5xx=%d no_answer=%d problems=%d"
                            + " non_problem_4xx=0 cross_user=0%n", total, byClass.get(2), byClass.get(3), byClass.get(4),
                    byClass.get(5), byClass.get(0), problems);
        } finally {
            stack.close();
        }
    }

    @BeforeProperty
    void newUser() throws Exception {
        user = "fuzz-" + UUID.randomUUID();
        token = Tokens.forUser(user);
        Answer created = send("POST", "/api/cards", user, List.of(Header.of("Content-Type", "application/json"),
                Header.of("Idempotency-Key", UUID.randomUUID().toString())),
                "{\"type\":\"md-note\",\"title\":\"own\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(created.status()).isEqualTo(201);
        ownCard = JSON.readTree(created.body()).get("id").stringValue();
        versions.put(ownCard, 1L);
        decided = 1;
        applied = 1;
    }

    /** Nothing refused was written: the log holds exactly the decided commands and the applied writes. */
    @AfterProperty
    void theLogHoldsExactlyWhatWasAnswered() throws Exception {
        log.awaitSettled(Duration.ofSeconds(10));
        assertThat(log.commandsOf(user)).as("commands of %s", user).hasSize((int) decided);
        assertThat(log.eventsOf(user)).as("events of %s", user).hasSize((int) applied);
    }

    // ---------------------------------------------------------------- bodies

    @Property(tries = 2500)
    void bodies(@ForAll("writeTargets") String target, @ForAll("bodies") byte[] body) throws Exception {
        String[] methodAndPath = target.replace("{own}", ownCard).split(" ", 2);
        exchange(methodAndPath[0], methodAndPath[1], List.of(Header.of("Content-Type", "application/json"),
                Header.of("Idempotency-Key", UUID.randomUUID().toString())), body, true);
    }

    @Provide
    Arbitrary<String> writeTargets() {
        return Arbitraries.frequency(Tuple.of(5, "POST /api/cards"), Tuple.of(3, "PATCH /api/cards/{own}"),
                Tuple.of(2, "POST /api/batch"), Tuple.of(1, "DELETE /api/cards/{own}"), Tuple.of(1, "POST /dev/sign-in"));
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<String> value = Arbitraries.oneOf(
                text.map(HostileInputPropertiesTest::quoted),
                Arbitraries.of("null", "true", "false", "0", "-0", "1", "-1", "1.5", "1e309", "-1e309",
                        "99999999999999999999999", "9223372036854775808", "[]", "{}", "[null]", "{\"a\":1}",
                        "\"\\ud800\"", "\"\\udc00x\"", "\"\\u0000\"", "\"https://example.com\"", "\"javascript:alert(1)\"",
                        "[\"a\",\"b\"]", "[1,2]", "\"" + "x".repeat(3000) + "\""));
        Arbitrary<String> field = Arbitraries.of("type", "title", "url", "notes", "content", "tags", "collections",
                "pinned", "metadata", "version", "id", "deleted", "createdAt", "color", "", "ti\\u0074le", "__proto__",
                "operations", "user");
        Arbitrary<String> object = Combinators.combine(field.list().ofMaxSize(6), value.list().ofSize(6))
                .as((names, values) -> {
                    StringBuilder json = new StringBuilder("{");
                    for (int i = 0; i < names.size(); i++) {
                        json.append(i == 0 ? "" : ",").append('"').append(names.get(i)).append("\":").append(values.get(i));
                    }
                    return json.append('}').toString();
                });
        Arbitrary<String> card = Combinators.combine(Arbitraries.of("url", "md-note", "text-note", "URL", "video"),
                text, Arbitraries.of("", ",\"pinned\":true", ",\"tags\":[\"t\"]", ",\"url\":\"https://example.com/x\"",
                        ",\"version\":1", ",\"metadata\":{\"description\":\"d\"}"))
                .as((type, title, extra) -> "{\"type\":\"" + type + "\",\"title\":" + quoted(title) + extra + "}");
        Arbitrary<String> batch = Arbitraries.oneOf(card, object, value).list().ofMaxSize(4).map(members -> {
            StringBuilder json = new StringBuilder("{\"operations\":[");
            for (int i = 0; i < members.size(); i++) {
                json.append(i == 0 ? "" : ",").append("{\"method\":\"POST\",\"path\":\"/api/cards\",\"idempotencyKey\":\"")
                        .append(UUID.randomUUID()).append("\",\"body\":").append(members.get(i)).append('}');
            }
            return json.append("]}").toString();
        });
        Arbitrary<String> nested = Arbitraries.integers().between(1, 200_000).map(depth ->
                "{\"type\":\"md-note\",\"title\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
        Arbitrary<String> huge = Arbitraries.integers().between(900_000, 1_200_000).map(length ->
                "{\"type\":\"md-note\",\"content\":\"" + "c".repeat(length) + "\"}");
        Arbitrary<byte[]> jsonBytes = Arbitraries.frequencyOf(Tuple.of(6, card), Tuple.of(6, object), Tuple.of(3, value),
                Tuple.of(2, batch), Tuple.of(1, nested), Tuple.of(1, huge))
                .map(json -> json.getBytes(StandardCharsets.UTF_8));
        // Invalid UTF-8 inside a JSON string: overlong forms, encoded surrogates, stray continuation bytes.
        Arbitrary<byte[]> badUtf8 = Combinators.combine(card, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(4))
                .as((json, bytes) -> {
                    byte[] prefix = json.substring(0, json.indexOf("\"title\":\"") + 9).getBytes(StandardCharsets.UTF_8);
                    byte[] suffix = json.substring(json.indexOf("\"title\":\"") + 9).getBytes(StandardCharsets.UTF_8);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.writeBytes(prefix);
                    out.writeBytes(bytes);
                    out.writeBytes(suffix);
                    return out.toByteArray();
                });
        Arbitrary<byte[]> garbage = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        return Arbitraries.frequencyOf(Tuple.of(14, jsonBytes), Tuple.of(3, badUtf8), Tuple.of(2, garbage),
                Tuple.of(1, Arbitraries.just(new byte[0])));
    }

    // ---------------------------------------------------------------- headers

    @Property(tries = 2700)
    void headers(@ForAll("headerTargets") String target, @ForAll("idempotencyKeys") List<Header> key,
            @ForAll("ifMatches") List<Header> ifMatch, @ForAll("contentTypes") List<Header> contentType) throws Exception {
        String[] methodAndPath = target.replace("{own}", ownCard).replace("{random}", UUID.randomUUID().toString())
                .split(" ", 2);
        List<Header> headers = new ArrayList<>(key);
        headers.addAll(ifMatch);
        headers.addAll(contentType);
        byte[] body = switch (methodAndPath[0]) {
            case "POST" -> "{\"type\":\"md-note\",\"title\":\"h\"}".getBytes(StandardCharsets.UTF_8);
            case "PATCH" -> "{\"title\":\"h\"}".getBytes(StandardCharsets.UTF_8);
            default -> null;
        };
        exchange(methodAndPath[0], methodAndPath[1], headers, body, true);
    }

    @Provide
    Arbitrary<String> headerTargets() {
        return Arbitraries.of("POST /api/cards", "PATCH /api/cards/{own}", "DELETE /api/cards/{random}",
                "GET /api/cards/{own}", "GET /api/cards");
    }

    @Provide
    Arbitrary<List<Header>> idempotencyKeys() {
        return headerValues("Idempotency-Key", Arbitraries.oneOf(
                Arbitraries.create(() -> UUID.randomUUID().toString()),
                Arbitraries.of("k1", "k2", "", " ", "a, b", "k".repeat(255), "k".repeat(256), "k".repeat(9000)),
                Arbitraries.strings().ascii().ofMaxLength(300)));
    }

    @Provide
    Arbitrary<List<Header>> ifMatches() {
        return headerValues("If-Match", Arbitraries.oneOf(
                Arbitraries.of("\"1\"", "\"2\"", "W/\"1\"", "*", "1", "\"0\"", "\"-1\"", "\"abc\"", "\"\"",
                        "\"99999999999999999999\"", "\"1\", \"2\"", "\"1"),
                Arbitraries.strings().ascii().ofMaxLength(40)));
    }

    @Provide
    Arbitrary<List<Header>> contentTypes() {
        return headerValues("Content-Type", Arbitraries.oneOf(
                Arbitraries.of("application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
                        "application/json; charset=latin1", "application/json; charset=utf-16", "application/json; charset=nope",
                        "APPLICATION/JSON", "application/merge-patch+json", "application/problem+json", "text/plain",
                        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "", ";;;", "*/*",
                        "application/json; q=\"", "application/"),
                Arbitraries.strings().ascii().ofMaxLength(60)));
    }

    /**
     * A header of every shape: absent, one value, the value twice or with another, or spoiled with
     * a control character, raw UTF-8 or a length past Tomcat's header limit.
     */
    private static Arbitrary<List<Header>> headerValues(String name, Arbitrary<String> values) {
        Arbitrary<List<Header>> one = values.map(v -> List.of(Header.of(name, v)));
        Arbitrary<List<Header>> twice = Combinators.combine(values, values)
                .as((a, b) -> List.of(Header.of(name, a), Header.of(name, b)));
        Arbitrary<List<Header>> control = Combinators.combine(values, Arbitraries.chars().range('\u0000', '\u001f'),
                Arbitraries.of('\u007f', '\u0085'))
                .as((v, c, d) -> List.of(Header.of(name, v + c + d)));
        Arbitrary<List<Header>> unicode = Arbitraries.strings().withCharRange('\u00a0', '\uffef').ofMinLength(1).ofMaxLength(20)
                .map(v -> List.of(new Header(name, v.getBytes(StandardCharsets.UTF_8))));
        Arbitrary<List<Header>> rawBytes = Arbitraries.bytes().between((byte) 0x80, (byte) 0xff).array(byte[].class)
                .ofMinSize(1).ofMaxSize(8).map(bytes -> List.of(new Header(name, bytes)));
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(List.<Header>of())), Tuple.of(8, one), Tuple.of(2, twice),
                Tuple.of(2, control), Tuple.of(1, unicode), Tuple.of(1, rawBytes));
    }

    // ---------------------------------------------------------------- paths

    @Property(tries = 2700)
    void paths(@ForAll("methods") String method, @ForAll("paths") String path, @ForAll boolean withToken)
            throws Exception {
        String target = path.replace("{victim}", victimCards.get(Math.abs(path.hashCode()) % victimCards.size()))
                .replace("{VICTIM}", victimCards.get(0).toUpperCase())
                .replace("{own}", ownCard)
                .replace("{random}", UUID.randomUUID().toString());
        byte[] body = List.of("POST", "PATCH", "PUT").contains(method)
                ? "{\"title\":\"p\"}".getBytes(StandardCharsets.UTF_8) : null;
        List<Header> headers = new ArrayList<>(List.of(Header.of("Content-Type", "application/json")));
        exchange(method, target, headers, body, withToken);
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.frequency(Tuple.of(6, "GET"), Tuple.of(3, "PATCH"), Tuple.of(3, "DELETE"), Tuple.of(3, "POST"),
                Tuple.of(1, "HEAD"), Tuple.of(1, "PUT"), Tuple.of(1, "OPTIONS"), Tuple.of(1, "TRACE"), Tuple.of(1, "FOO"),
                Tuple.of(1, "CONNECT"));
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> id = Arbitraries.oneOf(
                Arbitraries.of("{victim}", "{VICTIM}", "{own}", "{random}", "", ".", "..", "%2e%2e", "%2E", ".%2e", "..;",
                        "%2F", "a%2Fb", "%00", "a%00b", "%zz", "%", "%f", "%ff", "%c0%af", "%e2%82", "%u002e", "~",
                        ";jsessionid=1", "{victim};x=1", "{victim}%00", "{victim}/", "{victim}/history",
                        "{victim}/history/..", "{victim}/refresh-metadata", "{own}/history", "{own}/refresh-metadata",
                        "changes", "changes/stream", "00000000-0000-0000-0000-000000000000", "\\..\\", "%5c",
                        "%ef%bc%8e%ef%bc%8e", "caf%C3%A9", "a".repeat(300), "a".repeat(9000)),
                Arbitraries.strings().withChars("abc019-_.~%/;:@!$&'()*+,=").ofMaxLength(50),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(20).map(HostileInputPropertiesTest::percentEncoded));
        Arbitrary<String> prefix = Arbitraries.of("/api/cards/", "/api/commands/", "/api/cards/changes/", "/api/batch/",
                "/api/stats/", "/actuator/", "/actuator/health/", "/v3/api-docs/", "/", "/api/", "/assets/", "//api/cards/",
                "/api/cards//", "/API/cards/", "/error/", "/dev/sign-in/", "/api/./cards/", "/api/cards/../cards/");
        return Combinators.combine(prefix, id).as((p, i) -> p + i);
    }

    // ---------------------------------------------------------------- query strings

    @Property(tries = 2700)
    void queries(@ForAll("queryTargets") String target, @ForAll("queryStrings") String query) throws Exception {
        String[] methodAndPath = target.replace("{own}", ownCard).replace("{victim}", victimCards.get(0)).split(" ", 2);
        exchange(methodAndPath[0], methodAndPath[1] + "?" + query, List.of(), null, true);
    }

    @Provide
    Arbitrary<String> queryTargets() {
        return Arbitraries.frequency(Tuple.of(4, "GET /api/cards"), Tuple.of(4, "GET /api/cards/changes"),
                Tuple.of(2, "GET /api/cards/{own}/history"), Tuple.of(2, "GET /api/cards/{own}"),
                Tuple.of(1, "GET /api/cards/{victim}"), Tuple.of(1, "GET /api/cards/{victim}/history"),
                Tuple.of(1, "GET /api/stats"), Tuple.of(1, "DELETE /api/cards/{victim}"), Tuple.of(1, "GET /actuator/health"),
                Tuple.of(1, "GET /api/cards/changes/stream"));
    }

    @Provide
    Arbitrary<String> queryStrings() {
        Arbitrary<String> name = Arbitraries.oneOf(
                Arbitraries.of("limit", "cursor", "since", "q", "asOf", "asOfVersion", "days", "version", "LIMIT", "",
                        "limit[]", "li%ffmit", "%", "a%00b"),
                Arbitraries.strings().alpha().ofMaxLength(8));
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of("", "0", "1", "100", "1000", "1001", "-1", "1.5", "1e3", "0x10", "99999999999999999999", "abc",
                        "%", "%f", "%zz", "%ff", "%00", "%c0%af", "%e2%82", "%ed%a0%80", "+", "%2B", "&", "=", "==", "null",
                        "2026-12-01T00:00:00Z", "2026-13-45T99:99:99Z", "yesterday", "-999999999-01-01T00:00:00Z",
                        base64("changes:5"), base64("changes:-5"), base64("list:" + UUID.randomUUID()), base64("list:x"),
                        base64("\u0000\u0001"), "x".repeat(5000)),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(30).map(HostileInputPropertiesTest::percentEncoded),
                Arbitraries.strings().withCharRange('\u00a0', '\u2fff').ofMaxLength(10));
        Arbitrary<String> pair = Combinators.combine(name, value, Arbitraries.of("=", "", "==")).as((n, v, eq) -> n + eq + v);
        return pair.list().ofMinSize(1).ofMaxSize(4).map(pairs -> String.join("&", pairs));
    }

    // ---------------------------------------------------------------- the checks

    /**
     * Sends one request as this property's user (or without a token), checks the answer's shape and
     * counts what it wrote.
     */
    private void exchange(String method, String target, List<Header> headers, byte[] body, boolean withToken)
            throws Exception {
        List<Header> all = new ArrayList<>(headers);
        if (withToken) {
            all.add(Header.of("Authorization", "Bearer " + token));
        }
        Answer answer = RawHttp.exchange(stack.uri().getPort(), method, target.getBytes(StandardCharsets.UTF_8), all,
                body, false);
        byClass.incrementAndGet(answer.status() / 100);
        String what = method + " " + abbreviated(target) + " " + all.size() + " headers, body "
                + (body == null ? "none" : abbreviated(new String(body, StandardCharsets.UTF_8))) + " -> " + answer.status()
                + " " + abbreviated(answer.bodyText());
        assertThat(answer.status()).as("an answer to %s", what).isPositive();
        assertThat(answer.status()).as("no server error for %s", what).isLessThan(500);
        if (answer.status() >= 400 && !method.equals("HEAD")) {
            assertThat(answer.header("Content-Type")).as("Content-Type of %s", what).startsWith("application/problem+json");
            JsonNode problem = JSON.readTree(answer.body());
            assertThat(problem.path("type").isString() && !problem.path("type").stringValue().isBlank()).as(what).isTrue();
            assertThat(problem.path("title").isString() && !problem.path("title").stringValue().isBlank()).as(what).isTrue();
            assertThat(problem.path("status").isIntegralNumber()).as(what).isTrue();
            assertThat(problem.path("status").intValue()).as(what).isEqualTo(answer.status());
            problems++;
        }
        assertThat(answer.bodyText()).as("another user's card in the answer to %s", what).doesNotContain(MARKER);
        if (withToken) {
            count(method, target, answer);
        }
    }

    /** What the answer says was appended (a decision of the projector) and applied (an event). */
    private void count(String method, String target, Answer answer) {
        String path = decodedPath(target);
        boolean write = (method.equals("POST") && (path.equals("/api/cards") || REFRESH.matcher(path).matches()))
                || ((method.equals("PATCH") || method.equals("DELETE")) && CARD.matcher(path).matches());
        boolean replayed = "true".equals(answer.header("Idempotent-Replayed"));
        if (write && DECIDED.contains(answer.status())) {
            decided++;
            if (answer.status() / 100 == 2 && !replayed && changed(method, path, answer)) {
                applied++;
            }
        }
        if (method.equals("POST") && path.equals("/api/batch") && answer.status() == 200) {
            for (JsonNode result : JSON.readTree(answer.body()).get("results")) {
                int status = result.get("status").intValue();
                if (DECIDED.contains(status)) {
                    decided++;
                    JsonNode replay = result.path("headers").path("Idempotent-Replayed");
                    if ((status == 200 || status == 201) && !"true".equals(replay.isString() ? replay.stringValue() : null)) {
                        applied++;
                    }
                }
            }
        }
    }

    /**
     * Whether an applied write made an event: a create, delete or refresh always does; an update
     * only when it moved the card's version (one that changes nothing answers 200 with the card as
     * it was, and writes nothing). The versions are this property's own, from the answers.
     */
    private boolean changed(String method, String path, Answer answer) {
        if (!method.equals("PATCH")) {
            return true;
        }
        String cardId = path.substring("/api/cards/".length()).toLowerCase(java.util.Locale.ROOT);
        long version = Long.parseLong(answer.header("ETag").replace("\"", ""));
        Long before = versions.put(cardId, version);
        return before == null || version > before;
    }

    /** The path as the server maps it (percent-decoded, strictly), or "" when it cannot be decoded. */
    private static String decodedPath(String target) {
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0
                        || Character.digit(path.charAt(i + 2), 16) < 0) {
                    return "";
                }
                bytes.write(Integer.parseInt(path.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return "";
        }
    }

    private static Answer send(String method, String path, String user, List<Header> headers, byte[] body)
            throws IOException {
        List<Header> all = new ArrayList<>(headers);
        all.add(Header.of("Authorization", "Bearer " + Tokens.forUser(user)));
        return RawHttp.exchange(stack.uri().getPort(), method, path.getBytes(StandardCharsets.UTF_8), all, body, false);
    }

    private static String quoted(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    private static String percentEncoded(String text) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            encoded.append(String.format("%%%02X", b & 0xff));
        }
        return encoded.toString();
    }

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviated(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…(" + text.length() + " chars)";
    }
}
