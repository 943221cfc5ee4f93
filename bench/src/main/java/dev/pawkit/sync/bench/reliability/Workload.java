package dev.pawkit.sync.bench.reliability;

import dev.pawkit.sync.bench.CardApi;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * Concurrent clients writing cards the way real ones do, every attempt recorded in a {@link History}:
 * creates, updates and deletes with If-Match, batches, and retries under the same Idempotency-Key
 * whenever an attempt got no decision. Some first attempts are sent with a timeout far too short
 * (an impatient client), so some writes are truly unknown to the client while the server goes on;
 * some decided writes are sent once more, to see the first answer replayed.
 *
 * <p>The clients of one user share that user's cards, so their writes race and some lose (409/412):
 * rejections are part of what is checked. Every write carries a key of its own.
 *
 * <p>Under faults ({@link Conduct#underFaults}) the clients spread over several application
 * instances: an attempt without a decision (no connection, reset, timeout, 5xx) is sent again with
 * the same key and body to the next instance, with growing pauses, until decided or a deadline;
 * and they keep writing as long as the faults go on.
 */
public final class Workload {

    /** How much to run: users, clients per user (each a thread), logical writes per client. */
    public record Size(int users, int clientsPerUser, int writesPerClient) {
    }

    /**
     * How the clients behave: how long they insist on a write, how long they pause between writes,
     * and whether to go on writing past {@code writesPerClient} (while a fault schedule runs).
     *
     * @param maxAttempts attempts of one write (its first included) before the client gives up on it
     * @param giveUpAfter the time after which a client gives up on a write it still has no decision for
     * @param maxPause the longest pause between two attempts of a write (the pause doubles from 20 ms)
     * @param thinkTime the pause between two writes of a client
     * @param keepWriting while true, a client that has done its writes goes on (up to {@link #MAX_WRITES_FACTOR} times as many)
     */
    public record Conduct(int maxAttempts, Duration giveUpAfter, Duration maxPause, Duration thinkTime,
            BooleanSupplier keepWriting) {

        /** No fault expected: a few quick retries (an impatient first attempt, a 202), then on. */
        public static final Conduct NO_FAULT = new Conduct(5, Duration.ofMinutes(1), Duration.ofMillis(100),
                Duration.ZERO, () -> false);

        /**
         * Faults on: insist on every write until it is decided (a restart takes tens of seconds, and
         * minutes on a loaded two-core machine),
         * and write on while {@code faultsRunning}.
         */
        public static Conduct underFaults(BooleanSupplier faultsRunning, Duration thinkTime) {
            return new Conduct(Integer.MAX_VALUE, Duration.ofMinutes(5), Duration.ofSeconds(1), thinkTime,
                    faultsRunning);
        }
    }

    /** A client writes at most this many times {@code writesPerClient}, faults or not: bounded in count. */
    static final int MAX_WRITES_FACTOR = 50;

    private static final Duration PATIENT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<CardApi> instances;
    private final String userPrefix;
    private final Size size;
    private final Conduct conduct;
    private final History history = new History();

    public Workload(CardApi api, String userPrefix, Size size) {
        this(List.of(api), userPrefix, size, Conduct.NO_FAULT);
    }

    /** Clients spread over {@code instances} (client n starts on instance n mod size), behaving as {@code conduct} says. */
    public Workload(List<CardApi> instances, String userPrefix, Size size, Conduct conduct) {
        this.instances = List.copyOf(instances);
        this.userPrefix = userPrefix;
        this.size = size;
        this.conduct = conduct;
    }

    /** Runs every client to the end (bounded by {@code timeout}) and returns what they sent and got. */
    public History run(Duration timeout) throws InterruptedException {
        int threads = size.users() * size.clientsPerUser();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> clients = new ArrayList<>();
        try {
            for (int u = 0; u < size.users(); u++) {
                String user = userPrefix + "-user-" + u;
                Map<String, Long> cards = new ConcurrentHashMap<>();
                for (int c = 0; c < size.clientsPerUser(); c++) {
                    Client client = new Client(user + "-client-" + c, user, cards, new Random(31L * u + c),
                            (u * size.clientsPerUser() + c) % instances.size());
                    clients.add(pool.submit(() -> {
                        client.run();
                        return null;
                    }));
                }
            }
            pool.shutdown();
            if (!pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the workload did not finish within " + timeout);
            }
            for (Future<?> client : clients) {
                try {
                    client.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("a client failed", e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return history;
    }

    /** One client: a thread writing the user's cards, one logical write after the other. */
    private final class Client {

        private final String name;
        private final String user;
        /** The user's cards as the user's clients last saw them: id to version. */
        private final Map<String, Long> cards;
        private final Random random;
        /** The instance this client sends to: the next one after an attempt without a decision. */
        private int instance;
        private int written;

        Client(String name, String user, Map<String, Long> cards, Random random, int instance) {
            this.name = name;
            this.user = user;
            this.cards = cards;
            this.random = random;
            this.instance = instance;
        }

        void run() throws InterruptedException {
            int most = size.writesPerClient() * MAX_WRITES_FACTOR;
            for (int i = 0; i < size.writesPerClient() || (i < most && conduct.keepWriting().getAsBoolean()); i++) {
                if (!conduct.thinkTime().isZero()) {
                    Thread.sleep(conduct.thinkTime().toMillis());
                }
                int dice = random.nextInt(100);
                String card = anyCard();
                if (dice < 30 || card == null) {
                    single(create());
                } else if (dice < 70) {
                    single(update(card));
                } else if (dice < 80) {
                    single(delete(card));
                } else {
                    batch();
                }
            }
        }

        private Write create() {
            String id = UUID.randomUUID().toString();
            String title = title();
            Map<String, Object> body = Map.of("id", id, "type", "text-note", "title", title, "content", "written by "
                    + name);
            return new Write(Request.Kind.CREATE, "POST", "/api/cards", key(), id, null, title, body);
        }

        private Write update(String card) {
            Long version = cards.get(card);
            String title = title();
            return new Write(Request.Kind.UPDATE, "PATCH", "/api/cards/" + card, key(), card,
                    version == null ? 1L : version, title, Map.of("title", title));
        }

        private Write delete(String card) {
            Long version = cards.get(card);
            return new Write(Request.Kind.DELETE, "DELETE", "/api/cards/" + card, key(), card,
                    version == null ? 1L : version, null, null);
        }

        /** A write sent alone until decided, the first attempt sometimes impatient, sometimes sent again. */
        private void single(Write write) throws InterruptedException {
            Answer answer = null;
            long giveUpAt = System.nanoTime() + conduct.giveUpAfter().toNanos();
            for (int attempt = 0; attempt < conduct.maxAttempts() && (answer == null || answer.unknown())
                    && System.nanoTime() < giveUpAt; attempt++) {
                Duration timeout = attempt == 0 && random.nextInt(100) < 15
                        ? Duration.ofMillis(1 + random.nextInt(30)) : PATIENT;
                answer = send(write, timeout);
                pauseIfUnknown(answer, attempt);
            }
            if (answer.decided() && random.nextInt(100) < 10) {
                answer = send(write, PATIENT);
            }
            learn(write, answer);
        }

        private Answer send(Write write, Duration timeout) {
            Request request = write.request(history.nextSeq(), name, user, null);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Idempotency-Key", write.key());
            if (write.expectedVersion() != null) {
                headers.put("If-Match", "\"" + write.expectedVersion() + "\"");
            }
            Answer answer;
            try {
                HttpResponse<String> response = instances.get(instance).send(write.method(), write.path(), user,
                        write.body() == null ? null : JSON.writeValueAsString(write.body()), headers, timeout);
                answer = answer(response.statusCode(), response.headers().firstValue("Idempotent-Replayed")
                        .map("true"::equals).orElse(false), response.body());
            } catch (IOException e) {
                answer = Answer.unknown(e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer = Answer.unknown("interrupted");
            }
            history.record(request, answer);
            return answer;
        }

        /** A batch of 2 to 4 members: a create, then updates (one of the card just created), each keyed. */
        private void batch() throws InterruptedException {
            List<Write> members = new ArrayList<>();
            Write created = create();
            members.add(created);
            members.add(new Write(Request.Kind.UPDATE, "PATCH", created.path() + "/" + created.cardId(), key(),
                    created.cardId(), 1L, title(), null).withTitleBody());
            for (int i = random.nextInt(3); i > 0; i--) {
                String card = anyCard();
                if (card != null) {
                    members.add(update(card));
                }
            }
            String batch = "batch-" + UUID.randomUUID();
            List<Answer> answers = null;
            long giveUpAt = System.nanoTime() + conduct.giveUpAfter().toNanos();
            for (int attempt = 0; attempt < conduct.maxAttempts() && System.nanoTime() < giveUpAt
                    && (answers == null || answers.stream().anyMatch(Answer::unknown)); attempt++) {
                Duration timeout = attempt == 0 && random.nextInt(100) < 15
                        ? Duration.ofMillis(1 + random.nextInt(30)) : PATIENT;
                answers = sendBatch(batch, members, timeout);
                pauseIfUnknown(answers.stream().filter(Answer::unknown).findAny().orElse(null), attempt);
            }
            for (int i = 0; i < members.size(); i++) {
                learn(members.get(i), answers.get(i));
            }
        }

        private List<Answer> sendBatch(String batch, List<Write> members, Duration timeout) {
            List<Request> requests = new ArrayList<>();
            List<Map<String, Object>> operations = new ArrayList<>();
            for (Write member : members) {
                requests.add(member.request(history.nextSeq(), name, user, batch));
                Map<String, Object> operation = new LinkedHashMap<>();
                operation.put("method", member.method());
                operation.put("path", member.path());
                operation.put("idempotencyKey", member.key());
                if (member.expectedVersion() != null) {
                    operation.put("headers", Map.of("If-Match", "\"" + member.expectedVersion() + "\""));
                }
                if (member.body() != null) {
                    operation.put("body", member.body());
                }
                operations.add(operation);
            }
            List<Answer> answers = new ArrayList<>();
            try {
                HttpResponse<String> response = instances.get(instance).send("POST", "/api/batch", user,
                        JSON.writeValueAsString(Map.of("operations", operations)), Map.of(), timeout);
                if (response.statusCode() == 200) {
                    JsonNode results = JSON.readTree(response.body()).path("results");
                    for (int i = 0; i < members.size(); i++) {
                        JsonNode result = results.path(i);
                        answers.add(answer(result.path("status").isInt() ? result.path("status").intValue() : 0,
                                "true".equals(text(result.path("headers").path("Idempotent-Replayed"))),
                                result.path("body")));
                    }
                } else {
                    // The batch as a whole was refused or failed: every member shares its answer.
                    Answer whole = answer(response.statusCode(), false, response.body());
                    members.forEach(m -> answers.add(new Answer(whole.status(), null, null, false, whole.detail())));
                }
            } catch (IOException | JacksonException e) {
                members.forEach(m -> answers.add(Answer.unknown(e.getClass().getSimpleName())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                members.forEach(m -> answers.add(Answer.unknown("interrupted")));
            }
            for (int i = 0; i < members.size(); i++) {
                history.record(requests.get(i), answers.get(i));
            }
            return answers;
        }

        /** What the answer tells every client of the user about the card. */
        private void learn(Write write, Answer answer) {
            if (answer == null) {
                return;
            }
            if ((answer.applied() && write.kind() == Request.Kind.DELETE) || answer.status() == 404
                    || answer.status() == 410) {
                cards.remove(write.cardId());
            } else if ((answer.applied() || answer.status() == 409 || answer.status() == 412)
                    && answer.version() != null && write.cardId().equals(answer.cardId())) {
                cards.merge(write.cardId(), answer.version(), Math::max);
            }
        }

        /**
         * After no decision, a pause, as a client backs off before it retries: 20 ms doubling with
         * every attempt up to the conduct's longest, with jitter. The retry goes to the next instance
         * (the same one when there is one): this one may be down.
         */
        private void pauseIfUnknown(Answer answer, int attempt) throws InterruptedException {
            if (answer != null && answer.unknown()) {
                long pause = Math.min(conduct.maxPause().toMillis(), 20L << Math.min(attempt, 10));
                Thread.sleep(pause + random.nextInt((int) Math.max(1, pause)));
                instance = (instance + 1) % instances.size();
            }
        }

        private String anyCard() {
            List<String> ids = new ArrayList<>(cards.keySet());
            return ids.isEmpty() ? null : ids.get(random.nextInt(ids.size()));
        }

        private String key() {
            return name + "-" + (written++) + "-" + UUID.randomUUID();
        }

        private String title() {
            return "title " + name + " " + UUID.randomUUID().toString().substring(0, 8);
        }
    }

    /** One logical write: every attempt of it sends exactly this. */
    private record Write(Request.Kind kind, String method, String path, String key, String cardId,
            Long expectedVersion, String title, Map<String, Object> body) {

        Request request(long seq, String client, String user, String batch) {
            return new Request(seq, client, user, kind, key, cardId, expectedVersion, title, batch);
        }

        Write withTitleBody() {
            return new Write(kind, method, path, key, cardId, expectedVersion, title, Map.of("title", title));
        }
    }

    /** The answer a status and body make: the card and version named by the body, or by a conflict's current card. */
    static Answer answer(int status, boolean replayed, String body) {
        JsonNode json;
        try {
            json = body == null || body.isBlank() ? MissingNode.getInstance() : JSON.readTree(body);
        } catch (JacksonException e) {
            json = MissingNode.getInstance();
        }
        return answer(status, replayed, json);
    }

    private static Answer answer(int status, boolean replayed, JsonNode body) {
        String cardId = null;
        Long version = null;
        if (status == 200 || status == 201) {
            cardId = text(body.path("id"));
            version = number(body.path("version"));
        } else if (body.path("currentCard").isObject()) {
            cardId = text(body.path("currentCard").path("id"));
            version = number(body.path("currentVersion"));
        }
        return new Answer(status, cardId, version, replayed, text(body.path("type")));
    }

    private static String text(JsonNode node) {
        return node.isString() ? node.stringValue() : null;
    }

    private static Long number(JsonNode node) {
        return node.isIntegralNumber() ? node.longValue() : null;
    }
}
