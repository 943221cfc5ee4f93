package dev.pawkit.sync.bench.reliability;

import dev.pawkit.sync.bench.CardApi;
import dev.pawkit.sync.infra.FreePorts;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * identical-10k: one user sends 10,000 identical requests (one Idempotency-Key, one body, a create)
 * at once, a few hundred in flight at any time. Exactly one card may come of it; every decided
 * answer must be the first one (201, then the same 201 replayed), with no 5xx. An attempt without a
 * decision (202, 409 request-in-progress, no answer) is sent again until decided. Every attempt goes
 * into the history, so the checker proves the one effect and the equal answers.
 */
final class IdenticalRequestsScenario implements Scenario {

    private static final int REQUESTS = 10_000;
    private static final int MAX_ATTEMPTS = 20;
    private static final Duration PATIENT = Duration.ofSeconds(30);
    private static final Duration ALL_DECIDED = Duration.ofMinutes(10);

    @Override
    public String name() {
        return "identical-10k";
    }

    @Override
    public Verdict run(Form form, Launcher launcher, PrintStream out) throws Exception {
        int inFlight = form == Form.QUICK ? 200 : 500;
        int httpPort = FreePorts.pick();
        int kafkaPort = FreePorts.pick();
        CardApi api = new CardApi("http://127.0.0.1:" + httpPort, launcher.secret());
        launcher.awaitStack(launcher.stack("stack", launcher.work().resolve("pawkit-data"), httpPort, kafkaPort));
        out.printf("scenario identical-10k: %,d identical creates (one user, one key, one body), %d in flight%n",
                REQUESTS, inFlight);

        String user = "identical-user";
        String key = "identical-" + UUID.randomUUID();
        String card = UUID.randomUUID().toString();
        String title = "one of ten thousand";
        String body = "{\"id\":\"" + card + "\",\"type\":\"text-note\",\"title\":\"" + title + "\",\"content\":\"the same\"}";
        History history = new History();
        Semaphore slots = new Semaphore(inFlight);
        CountDownLatch done = new CountDownLatch(REQUESTS);
        AtomicInteger undecided = new AtomicInteger();
        AtomicInteger fresh = new AtomicInteger();
        long start = System.nanoTime();
        for (int i = 0; i < REQUESTS; i++) {
            slots.acquire();
            Request request = new Request(0, "request-" + i, user, Request.Kind.CREATE, key, card, null, title, null);
            send(api, request, body, history, 1).whenComplete((answer, failure) -> {
                if (answer == null || !answer.decided()) {
                    undecided.incrementAndGet();
                } else if (!answer.replayed()) {
                    fresh.incrementAndGet();
                }
                slots.release();
                done.countDown();
            });
        }
        if (!done.await(ALL_DECIDED.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the identical requests were not all answered within " + ALL_DECIDED);
        }
        out.printf("  %s: all %,d answered (%,d attempts)%n", UnderFault.since(start), REQUESTS,
                history.exchanges().size());

        Verdict verdict = Scenario.audit(history, "127.0.0.1:" + kafkaPort, api, launcher);
        List<String> violations = new ArrayList<>();
        if (verdict.serverErrors() > 0) {
            violations.add(verdict.serverErrors() + " attempts answered 5xx");
        }
        if (undecided.get() > 0) {
            violations.add(undecided.get() + " requests never decided in " + MAX_ATTEMPTS + " attempts");
        }
        if (fresh.get() > 1) {
            violations.add(fresh.get() + " requests answered as decided afresh (no Idempotent-Replayed): at most one may be");
        }
        history.exchanges().stream().filter(e -> e.answer().decided()).findFirst()
                .filter(first -> first.answer().status() != 201)
                .ifPresent(first -> violations.add("the first decided answer was " + first.answer().status() + ", not 201"));
        if (verdict.events() != 1) {
            violations.add("the log has " + verdict.events() + " events of the user, not exactly 1");
        }
        return verdict.withViolations(violations);
    }

    /**
     * One attempt, recorded; without a decision, again (same key, same body) after a short pause,
     * up to {@link #MAX_ATTEMPTS}. Completes with the last answer.
     */
    private static CompletableFuture<Answer> send(CardApi api, Request request, String body, History history,
            int attempt) {
        Request sent = new Request(history.nextSeq(), request.client(), request.user(), request.kind(),
                request.idempotencyKey(), request.cardId(), null, request.title(), null);
        return api.sendAsync("POST", "/api/cards", request.user(), body,
                Map.of("Idempotency-Key", request.idempotencyKey()), PATIENT)
                .handle((response, failure) -> answer(response, failure))
                .thenCompose(answer -> {
                    history.record(sent, answer);
                    if (answer.decided() || answer.refused() || attempt >= MAX_ATTEMPTS) {
                        return CompletableFuture.completedFuture(answer);
                    }
                    return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor(50L * attempt, TimeUnit.MILLISECONDS))
                            .thenCompose(ignored -> send(api, request, body, history, attempt + 1));
                });
    }

    private static Answer answer(HttpResponse<String> response, Throwable failure) {
        if (response == null) {
            return Answer.unknown(failure == null ? "no answer" : failure.getClass().getSimpleName());
        }
        return Workload.answer(response.statusCode(),
                response.headers().firstValue("Idempotent-Replayed").map("true"::equals).orElse(false),
                response.body());
    }
}
