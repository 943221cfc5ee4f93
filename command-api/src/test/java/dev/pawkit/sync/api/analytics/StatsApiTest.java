package dev.pawkit.sync.api.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.ApiIntegrationTest;
import dev.pawkit.sync.domain.CardEvent.CardCreated;
import dev.pawkit.sync.domain.CardEvent.CardDeleted;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.schemas.sealing.UserKeys;
import dev.pawkit.sync.testsupport.CommittedLog;
import dev.pawkit.sync.testsupport.Tokens;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The analytics numbers over HTTP, checked against counts made here, independently of the
 * analytics code: per day from the committed event log, per domain and tag from the live cards the
 * card API lists. Other test classes write to the same log, so global numbers are compared as
 * differences, or for this run's own domains and tags, which nobody else uses.
 */
class StatsApiTest extends ApiIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private static final String ALL = "?days=366&top=1000";
    private static final String OPERATOR = "ops";

    @Autowired
    private UserKeys userKeys;

    @Test
    void eachUsersNumbersEqualCountsFromTheLogAndTheGlobalNumbersGrowByTheirSum() throws Exception {
        String run = run();
        List<String> users = List.of("stats-" + run + "-a", "stats-" + run + "-b", "stats-" + run + "-c",
                "stats-" + run + "-d");
        Snapshot before = caughtUp(users);
        writeRandomly(users, run, 60);
        Snapshot after = caughtUp(users);

        List<EventEnvelope> log = committedLog().eventsBetween(Map.of(), after.end());
        List<EventEnvelope> sinceBefore = committedLog().eventsBetween(before.end(), after.end());
        Counts sum = new Counts();
        for (String user : users) {
            Counts expected = countsOf(user, log);
            JsonNode own = after.users().get(user);
            assertThat(own.get("userId").stringValue()).isEqualTo(user);
            assertThat(days(own)).as("days of " + user).isEqualTo(expected.days);
            assertThat(ranked(own.get("topDomains"), "domain")).as("domains of " + user).isEqualTo(expected.domains);
            assertThat(ranked(own.get("tags"), "tag")).as("tags of " + user).isEqualTo(expected.tags);
            sum.add(expected);
        }
        assertThat(sum.days.values().stream().mapToLong(d -> d.get(0)).sum()).as("the run created cards").isPositive();
        assertThat(sum.domains).as("several domains in play").hasSizeGreaterThan(1);

        // Globally: everyone's events in between (only this run's, unless something else wrote meanwhile).
        assertThat(difference(days(after.global()), days(before.global()))).isEqualTo(dayCounts(sinceBefore));
        assertThat(onlyRun(ranked(after.global().get("topDomains"), "domain"), run)).isEqualTo(sum.domains);
        // Tags are a user's own words: never counted over every user.
        assertThat(after.global().has("tags")).isFalse();
    }

    @Test
    void aResetReplaysTheLogToIdenticalNumbers() throws Exception {
        String run = run();
        List<String> users = List.of("reset-" + run + "-a", "reset-" + run + "-b");
        writeRandomly(users, run, 25);
        Snapshot before = caughtUp(users);

        HttpResponse<String> reset = resetWhenAlone();
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(202);
        Snapshot after = caughtUp(users);

        assertThat(after.end()).as("nothing wrote to the log meanwhile").isEqualTo(before.end());
        assertThat(after.users()).isEqualTo(before.users());
        assertThat(onlyRun(ranked(after.global().get("topDomains"), "domain"), run))
                .isEqualTo(onlyRun(ranked(before.global().get("topDomains"), "domain"), run));
        // A reset counts what can be read now: the share of users erased since their events were
        // counted (kept in the global numbers until then) leaves with it. Without erasures, this is
        // exactly the numbers before the reset.
        assertThat(days(after.global())).isEqualTo(countedDays(committedLog().eventsBetween(Map.of(), after.end())));
    }

    @Test
    void anErasedUsersOwnNumbersAreNoneTheGlobalOnesStayAndWritingAgainStartsFromNothing() throws Exception {
        String run = run();
        String ada = "erased-" + run;
        String bob = "kept-" + run;
        assertThat(send("POST", "/api/cards", ada, "{\"type\":\"url\",\"url\":\"https://ada-" + run
                + ".example/x\",\"tags\":[\"secret-" + run + "\"]}", key()).statusCode()).isEqualTo(201);
        assertThat(send("POST", "/api/cards", bob, "{\"type\":\"url\",\"url\":\"https://bob-" + run
                + ".example/y\",\"tags\":[\"mine-" + run + "\"]}", key()).statusCode()).isEqualTo(201);
        Snapshot before = caughtUp(List.of(ada, bob));
        assertThat(ranked(before.users().get(ada).get("tags"), "tag")).containsOnlyKeys("secret-" + run);

        userKeys.destroy(ada);

        // Answered 200 (caughtUp accepts nothing else but a passing 503), with nothing in it.
        Snapshot erased = caughtUp(List.of(ada, bob));
        JsonNode adas = erased.users().get(ada);
        assertThat(adas.get("days")).isEmpty();
        assertThat(adas.get("topDomains")).isEmpty();
        assertThat(adas.get("tags")).isEmpty();
        assertThat(erased.users().get(bob)).isEqualTo(before.users().get(bob));
        assertThat(erased.end()).as("nothing wrote to the log meanwhile").isEqualTo(before.end());
        assertThat(erased.global()).as("the global numbers stay as they were").isEqualTo(before.global());

        assertThat(send("POST", "/api/cards", ada, "{\"type\":\"md-note\",\"title\":\"n\",\"tags\":[\"again-"
                + run + "\"]}", key()).statusCode()).isEqualTo(201);
        JsonNode again = caughtUp(List.of(ada)).users().get(ada);
        assertThat(days(again).values()).containsExactly(List.of(1L, 0L, 0L));
        assertThat(ranked(again.get("tags"), "tag")).containsOnlyKeys("again-" + run);
        assertThat(again.get("topDomains")).isEmpty();

        // Counting the log again: the erased user's first card does not open and is not counted, by
        // the user nor globally; what they wrote since is.
        HttpResponse<String> reset = resetWhenAlone();
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(202);
        Snapshot recounted = caughtUp(List.of(ada, bob));
        assertThat(recounted.users().get(ada)).isEqualTo(again);
        assertThat(recounted.users().get(bob)).isEqualTo(before.users().get(bob));
        assertThat(onlyRun(ranked(recounted.global().get("topDomains"), "domain"), run))
                .containsOnlyKeys("bob-" + run + ".example");
        assertThat(days(recounted.global()))
                .isEqualTo(countedDays(committedLog().eventsBetween(Map.of(), recounted.end())));
    }

    @Test
    void globalNumbersAndTheResetAreForOperatorsOnly() throws Exception {
        String user = "plain-" + run();
        for (HttpResponse<String> denied : List.of(send("GET", "/api/stats/global", user, null, Map.of()),
                send("POST", "/api/stats/reset", user, null, Map.of()))) {
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(JSON.readTree(denied.body()).get("status").intValue()).isEqualTo(403);
        }
        assertThat(send("GET", "/api/stats/global", null, null, Map.of()).statusCode()).isEqualTo(401);

        HttpResponse<String> allowed = awaitAnswer("/api/stats/global", operator());
        assertThat(allowed.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(allowed.body());
        assertThat(body.has("userId")).isFalse();
        assertThat(body.has("tags")).isFalse();
        assertThat(body.get("days").isArray()).isTrue();
        assertThat(body.get("lag").isIntegralNumber()).isTrue();
    }

    @Test
    void aUserSeesOnlyTheirOwnNumbers() throws Exception {
        String run = run();
        String ada = "ada-" + run;
        String bob = "bob-" + run;
        assertThat(send("POST", "/api/cards", ada, "{\"type\":\"url\",\"url\":\"https://ada-" + run
                + ".example/x\",\"tags\":[\"secret-" + run + "\"]}", key()).statusCode()).isEqualTo(201);
        assertThat(send("POST", "/api/cards", bob, "{\"type\":\"md-note\",\"title\":\"b\",\"tags\":[\"mine-" + run
                + "\"]}", key()).statusCode()).isEqualTo(201);
        Snapshot numbers = caughtUp(List.of(ada, bob));

        JsonNode adas = numbers.users().get(ada);
        JsonNode bobs = numbers.users().get(bob);
        assertThat(ranked(adas.get("tags"), "tag")).containsOnlyKeys("secret-" + run);
        assertThat(ranked(adas.get("topDomains"), "domain")).containsOnlyKeys("ada-" + run + ".example");
        assertThat(bobs.get("userId").stringValue()).isEqualTo(bob);
        assertThat(ranked(bobs.get("tags"), "tag")).containsOnlyKeys("mine-" + run);
        assertThat(bobs.get("topDomains")).isEmpty();
        assertThat(days(bobs).values()).containsExactly(List.of(1L, 0L, 0L));
        assertThat(get("/api/stats" + ALL, "nobody-" + run).get("days")).isEmpty();
    }

    @Test
    void daysAndTopOutsideTheirRangeAreBadRequests() throws Exception {
        String user = "bad-" + run();
        for (String query : List.of("?days=0", "?days=367", "?days=ten", "?top=0", "?top=1001")) {
            HttpResponse<String> response = send("GET", "/api/stats" + query, user, null, Map.of());
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        }
        assertThat(awaitAnswer("/api/stats?days=366", bearer(user)).statusCode()).isEqualTo(200);
    }

    // ---- the independent count ----

    /** Per day [created, updated, deleted] from the committed log; live cards per domain and tag from the card list. */
    private static final class Counts {
        final Map<String, List<Long>> days = new TreeMap<>();
        final Map<String, Long> domains = new TreeMap<>();
        final Map<String, Long> tags = new TreeMap<>();

        void add(Counts other) {
            other.days.forEach((day, counts) -> days.merge(day, counts, Counts::plus));
            other.domains.forEach((domain, n) -> domains.merge(domain, n, Long::sum));
            other.tags.forEach((tag, n) -> tags.merge(tag, n, Long::sum));
        }

        static List<Long> plus(List<Long> a, List<Long> b) {
            return List.of(a.get(0) + b.get(0), a.get(1) + b.get(1), a.get(2) + b.get(2));
        }
    }

    private Counts countsOf(String user, List<EventEnvelope> log) throws Exception {
        Counts counts = new Counts();
        counts.days.putAll(dayCounts(log.stream().filter(e -> e.ownerId().equals(user)).toList()));
        String cursor = null;
        do {
            JsonNode page = JSON.readTree(send("GET", "/api/cards?limit=1000"
                    + (cursor == null ? "" : "&cursor=" + cursor), user, null, Map.of()).body());
            for (JsonNode card : page.get("items")) {
                if (card.get("type").stringValue().equals("url")) {
                    String host = URI.create(card.get("url").stringValue()).getHost().toLowerCase(Locale.ROOT);
                    counts.domains.merge(host.startsWith("www.") ? host.substring(4) : host, 1L, Long::sum);
                }
                for (JsonNode tag : card.get("tags")) {
                    counts.tags.merge(tag.stringValue(), 1L, Long::sum);
                }
            }
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").stringValue();
        } while (cursor != null);
        return counts;
    }

    /**
     * Per day, the events analytics counts when it counts the log from its start: every readable
     * event of a card whose creation is readable (an erased user's deletes stay readable, but
     * their cards' creations do not).
     */
    private static Map<String, List<Long>> countedDays(List<EventEnvelope> log) {
        Set<String> created = new HashSet<>();
        List<EventEnvelope> counted = new ArrayList<>();
        for (EventEnvelope event : log) {
            String card = event.ownerId() + "/" + event.cardId();
            if (event.event() instanceof CardCreated) {
                created.add(card);
            }
            if (created.contains(card)) {
                counted.add(event);
            }
        }
        return dayCounts(counted);
    }

    private static Map<String, List<Long>> dayCounts(List<EventEnvelope> events) {
        Map<String, List<Long>> days = new TreeMap<>();
        for (EventEnvelope event : events) {
            String day = LocalDate.ofInstant(event.event().at(), ZoneOffset.UTC).toString();
            List<Long> one = event.event() instanceof CardCreated ? List.of(1L, 0L, 0L)
                    : event.event() instanceof CardDeleted ? List.of(0L, 0L, 1L) : List.of(0L, 1L, 0L);
            days.merge(day, one, Counts::plus);
        }
        return days;
    }

    // ---- random commands, as several clients send them ----

    private void writeRandomly(List<String> users, String run, int commandsPerUser) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(users.size());
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int u = 0; u < users.size(); u++) {
                String user = users.get(u);
                Random random = new Random(u * 31L + run.hashCode());
                done.add(pool.submit(() -> randomCommands(user, run, random, commandsPerUser)));
            }
            for (Future<Void> user : done) {
                user.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private record Sent(String method, String path, String body, String key) {
    }

    /**
     * Creates (urls on a few domains, spelled in several ways; notes, some with a url; tags), updates
     * of tags, urls, titles (some with a stale version), deletes, page refreshes, writes to deleted
     * cards and exact replays of earlier requests.
     */
    private Void randomCommands(String user, String run, Random random, int commands) throws Exception {
        Map<String, Boolean> urlCards = new HashMap<>();
        List<String> cards = new ArrayList<>();
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < commands; i++) {
            int dice = random.nextInt(100);
            Sent request;
            if (cards.isEmpty() || dice < 30) {
                boolean url = random.nextInt(4) > 0;
                String body = "{\"type\":\"" + (url ? "url" : "md-note") + "\""
                        + (url || random.nextBoolean() ? ",\"url\":\"" + url(run, random) + "\"" : "")
                        + ",\"title\":\"t" + i + "\",\"tags\":" + tags(run, random) + "}";
                request = new Sent("POST", "/api/cards", body, user + "-" + i);
            } else if (dice < 82) {
                String card = cards.get(random.nextInt(cards.size()));
                if (dice < 60) {
                    StringBuilder patch = new StringBuilder("{\"title\":\"u" + i + "\"");
                    if (random.nextBoolean()) {
                        patch.append(",\"tags\":").append(tags(run, random));
                    }
                    if (urlCards.get(card) && random.nextBoolean()) {
                        patch.append(",\"url\":\"").append(url(run, random)).append('"');
                    }
                    if (random.nextInt(3) == 0) {
                        // Often stale: a conflict, nothing applied.
                        patch.append(",\"version\":").append(1 + random.nextInt(4));
                    }
                    request = new Sent("PATCH", "/api/cards/" + card, patch.append('}').toString(), user + "-" + i);
                } else if (dice < 75) {
                    request = new Sent("DELETE", "/api/cards/" + card, null, user + "-" + i);
                } else if (urlCards.get(card)) {
                    request = new Sent("POST", "/api/cards/" + card + "/refresh-metadata", null, user + "-" + i);
                } else {
                    request = new Sent("PATCH", "/api/cards/" + card, "{\"pinned\":true}", user + "-" + i);
                }
            } else {
                // A retry of an earlier request, exactly: answered again, never applied again.
                request = sent.get(random.nextInt(sent.size()));
            }
            sent.add(request);
            HttpResponse<String> response = send(request.method(), request.path(), user, request.body(),
                    Map.of("Idempotency-Key", request.key()));
            assertThat(response.statusCode()).as(request.toString()).isIn(200, 201, 202, 404, 409, 410);
            if (response.statusCode() == 201 && !response.headers().firstValue("Idempotent-Replayed").isPresent()) {
                String id = JSON.readTree(response.body()).get("id").stringValue();
                cards.add(id);
                urlCards.put(id, request.body().contains("\"type\":\"url\""));
            }
        }
        return null;
    }

    /** A url on one of the run's few domains, in one of the spellings that name the same domain. */
    private static String url(String run, Random random) {
        String host = "d" + random.nextInt(4) + "-" + run + ".example";
        return switch (random.nextInt(3)) {
            case 0 -> "https://" + host + "/p" + random.nextInt(100);
            case 1 -> "https://www." + host.toUpperCase(Locale.ROOT) + "/p?q=" + random.nextInt(9);
            default -> "http://" + host + ":8080/#x";
        };
    }

    private static String tags(String run, Random random) {
        List<String> tags = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            String tag = "tag" + random.nextInt(6) + "-" + run;
            if (!tags.contains(tag)) {
                tags.add(tag);
            }
        }
        return tags.stream().map(t -> "\"" + t + "\"").toList().toString();
    }

    // ---- reading the numbers ----

    /** The global numbers and the users' own, all at one end of the committed log, every event of which is counted. */
    private record Snapshot(Map<TopicPartition, Long> end, JsonNode global, Map<String, JsonNode> users) {
    }

    /**
     * Waits until analytics has counted every committed event (lag 0), and reads the numbers while
     * the log's end stays where it was: they are then exactly the counts of the log up to that end.
     * Each answer reads its lag before its numbers, so lag 0 means the numbers include the log so far.
     */
    private Snapshot caughtUp(List<String> users) throws Exception {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        String last = "nothing";
        CommittedLog log = committedLog();
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, Long> end = log.eventsEnd();
            JsonNode global = caughtUpAnswer("/api/stats/global" + ALL, operator());
            Map<String, JsonNode> own = new TreeMap<>();
            for (String user : users) {
                JsonNode stats = global == null ? null : caughtUpAnswer("/api/stats" + ALL, bearer(user));
                if (stats != null) {
                    own.put(user, stats);
                }
            }
            if (global != null && own.size() == users.size() && log.eventsEnd().equals(end)) {
                return new Snapshot(end, global, own);
            }
            last = "global " + global + ", users " + own;
            Thread.sleep(100);
        }
        throw new AssertionError("analytics did not catch up within " + CATCH_UP + "; last answers: " + last);
    }

    /** The answer when it is 200 with lag 0; null while analytics is behind, unavailable (503) or moving. */
    private JsonNode caughtUpAnswer(String path, Map<String, String> headers) throws Exception {
        HttpResponse<String> response = send("GET", path, null, null, headers);
        if (response.statusCode() == 503) {
            return null;
        }
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        JsonNode stats = JSON.readTree(response.body());
        return stats.get("lag").longValue() == 0 ? stats : null;
    }

    private JsonNode get(String path, String user) throws Exception {
        HttpResponse<String> response = awaitAnswer(path, bearer(user));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The answer once analytics is queryable (503 while it starts, rebalances or resets). */
    private HttpResponse<String> awaitAnswer(String path, Map<String, String> headers) throws Exception {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        HttpResponse<String> response;
        do {
            response = send("GET", path, null, null, headers);
            if (response.statusCode() != 503) {
                return response;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return response;
    }

    /** A reset, once no other instance (such as a stopped one whose session has not expired) is in the group. */
    private HttpResponse<String> resetWhenAlone() throws Exception {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        HttpResponse<String> response;
        do {
            response = send("POST", "/api/stats/reset", null, null, operator());
            if (response.statusCode() != 409 && response.statusCode() != 503) {
                return response;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        return response;
    }

    /** Per day [created, updated, deleted]. */
    private static Map<String, List<Long>> days(JsonNode stats) {
        Map<String, List<Long>> days = new TreeMap<>();
        for (JsonNode day : stats.get("days")) {
            days.put(day.get("day").stringValue(), List.of(day.get("created").longValue(),
                    day.get("updated").longValue(), day.get("deleted").longValue()));
        }
        return days;
    }

    private static Map<String, List<Long>> difference(Map<String, List<Long>> after, Map<String, List<Long>> before) {
        Map<String, List<Long>> difference = new TreeMap<>();
        after.forEach((day, counts) -> {
            List<Long> earlier = before.getOrDefault(day, List.of(0L, 0L, 0L));
            List<Long> grown = List.of(counts.get(0) - earlier.get(0), counts.get(1) - earlier.get(1),
                    counts.get(2) - earlier.get(2));
            if (!grown.equals(List.of(0L, 0L, 0L))) {
                difference.put(day, grown);
            }
        });
        return difference;
    }

    private static Map<String, Long> ranked(JsonNode list, String name) {
        Map<String, Long> ranked = new TreeMap<>();
        for (JsonNode entry : list) {
            ranked.put(entry.get(name).stringValue(), entry.get("cards").longValue());
        }
        return ranked;
    }

    private static Map<String, Long> onlyRun(Map<String, Long> ranked, String run) {
        Map<String, Long> ours = new TreeMap<>(ranked);
        ours.keySet().removeIf(name -> !name.contains(run));
        return ours;
    }

    private static Map<String, String> operator() {
        return Map.of("Authorization", "Bearer " + Tokens.forOperator(OPERATOR));
    }

    private static Map<String, String> bearer(String user) {
        return Map.of("Authorization", "Bearer " + Tokens.forUser(user));
    }

    private static Map<String, String> key() {
        return Map.of("Idempotency-Key", UUID.randomUUID().toString());
    }

    private static String run() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
