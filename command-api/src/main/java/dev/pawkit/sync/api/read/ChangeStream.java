package dev.pawkit.sync.api.read;

import dev.pawkit.sync.api.web.CardJson;
import dev.pawkit.sync.domain.CommandOutcome;
import dev.pawkit.sync.domain.log.OutcomeEnvelope;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One open change stream: its position in the user's change feed and the work waiting for it,
 * done one step at a time on the streams' pool so that its events leave in feed order.
 *
 * <p>Live changes come from the outcomes every instance reads (so a stream works on any instance,
 * whoever owns the user). An outcome that is exactly the next change is sent as it is; any gap
 * (a command that made several changes, outcomes dropped because the reader was slow, a stream
 * that just opened) is filled from the change feed instead, which is the truth. What waits is
 * bounded: at most {@link #MAX_QUEUED_OUTCOMES} outcomes, then only "read the feed from here".
 */
final class ChangeStream {

    static final String EVENT = "changes";
    static final long RECONNECT_MILLIS = 1000;

    private static final Logger log = LoggerFactory.getLogger(ChangeStream.class);
    static final int MAX_QUEUED_OUTCOMES = 256;
    private static final int MAX_FAILED_READS = 10;
    private static final Duration READ_RETRY = Duration.ofMillis(500);

    private final String userId;
    private final String authorization;
    private final Instant endsAt;
    private final SseEmitter emitter;
    private final ChangeFeedPages pages;
    private final Executor pool;
    private final ScheduledExecutorService timer;
    private final Consumer<ChangeStream> onClosed;

    // Guarded by this.
    private long position;
    private final ArrayDeque<OutcomeEnvelope> outcomes = new ArrayDeque<>();
    private boolean readWanted;
    private boolean readRetryPending;
    private int failedReads;
    private boolean heartbeatWanted;
    private boolean endWanted;
    private boolean running = true;
    private boolean closed;

    ChangeStream(String userId, String authorization, long position, Instant endsAt, ChangeFeedPages pages,
            Executor pool, ScheduledExecutorService timer, Consumer<ChangeStream> onClosed) {
        this.userId = userId;
        this.authorization = authorization;
        this.position = position;
        this.endsAt = endsAt;
        this.pages = pages;
        this.pool = pool;
        this.timer = timer;
        this.onClosed = onClosed;
        // The stream ends itself (endsAt); Spring's timeout only backs that up.
        this.emitter = new SseEmitter(Math.max(1, Duration.between(Instant.now(), endsAt).toMillis()) + 60_000);
        emitter.onCompletion(this::close);
        emitter.onTimeout(this::close);
        emitter.onError(error -> close());
    }

    String userId() {
        return userId;
    }

    SseEmitter emitter() {
        return emitter;
    }

    /**
     * The first step, on the request's own thread, so that a position past the end is the
     * request's 400 and an unreachable owner its 503, not an empty stream.
     */
    void start() throws IOException {
        emitter.send(SseEmitter.event().reconnectTime(RECONNECT_MILLIS).comment("stream of " + userId));
        readPage();
        synchronized (this) {
            running = false;
        }
        schedule();
    }

    /** An outcome of this stream's user, from the reply thread: only enqueued. */
    void offer(OutcomeEnvelope outcome) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (outcomes.size() == MAX_QUEUED_OUTCOMES) {
                outcomes.clear();
                readWanted = true;
            } else {
                outcomes.add(outcome);
            }
        }
        schedule();
    }

    /** From the heartbeat timer: a comment line, or the end once the stream's time is up. */
    void tick(Instant now) {
        synchronized (this) {
            if (now.isBefore(endsAt)) {
                heartbeatWanted = true;
            } else {
                endWanted = true;
            }
        }
        schedule();
    }

    /** Ends the stream from the server's side (shutdown): the client reconnects elsewhere. */
    void end() {
        synchronized (this) {
            endWanted = true;
        }
        schedule();
    }

    private enum Step { END, READ, SEND, HEARTBEAT }

    private record Work(Step step, OutcomeEnvelope outcome) {
    }

    private synchronized boolean hasWork() {
        return !closed && (endWanted || (readWanted && !readRetryPending) || !outcomes.isEmpty() || heartbeatWanted);
    }

    private void schedule() {
        synchronized (this) {
            if (running || !hasWork()) {
                return;
            }
            running = true;
        }
        pool.execute(this::drain);
    }

    private void drain() {
        while (true) {
            Work work;
            synchronized (this) {
                work = next();
                if (work == null) {
                    running = false;
                    return;
                }
            }
            try {
                perform(work);
            } catch (IOException | IllegalStateException e) {
                // The client went away or the emitter is already complete.
                close();
            }
        }
    }

    /** What to do next, under the lock. */
    private Work next() {
        if (closed) {
            return null;
        }
        if (endWanted) {
            return new Work(Step.END, null);
        }
        while (!outcomes.isEmpty() && !readWanted) {
            OutcomeEnvelope outcome = outcomes.poll();
            if (outcome.outcome() instanceof CommandOutcome.Erased) {
                // The user was forgotten and their feed starts again from 1: this position means
                // nothing any more. The client reconnects, its cursor is past the end (400), and it
                // pulls from the start.
                return new Work(Step.END, null);
            }
            if (outcome.replayed() || !(outcome.outcome() instanceof CommandOutcome.Applied)
                    || outcome.changeSeq() <= position) {
                continue; // Not a change, or one already sent.
            }
            if (outcome.changeSeq() == position + 1) {
                return new Work(Step.SEND, outcome);
            }
            readWanted = true;
        }
        if (readWanted) {
            if (readRetryPending) {
                outcomes.clear(); // The read that is due covers them.
            } else {
                return new Work(Step.READ, null);
            }
        }
        if (heartbeatWanted) {
            heartbeatWanted = false;
            return new Work(Step.HEARTBEAT, null);
        }
        return null;
    }

    private void perform(Work work) throws IOException {
        switch (work.step()) {
            case END -> {
                emitter.complete();
                close();
            }
            case SEND -> {
                CommandOutcome.Applied applied = (CommandOutcome.Applied) work.outcome().outcome();
                send(List.of(CardJson.of(applied.card())), work.outcome().changeSeq());
            }
            case READ -> readWithRetry();
            case HEARTBEAT -> emitter.send(SseEmitter.event().comment("heartbeat"));
        }
    }

    private void readWithRetry() throws IOException {
        try {
            readPage();
        } catch (RuntimeException e) {
            int failures;
            synchronized (this) {
                failures = ++failedReads;
                if (failures <= MAX_FAILED_READS) {
                    readRetryPending = true;
                }
            }
            if (failures > MAX_FAILED_READS) {
                // Ownership has not settled for seconds, or the position is no longer valid: the
                // client reconnects and gets a clear answer (a 503 or a 400).
                log.warn("ending the change stream of {}: {}", userId, e.getMessage());
                end();
                return;
            }
            timer.schedule(this::retryRead, READ_RETRY.toMillis() * failures, TimeUnit.MILLISECONDS);
        }
    }

    private void retryRead() {
        synchronized (this) {
            readRetryPending = false;
        }
        schedule();
    }

    /** One page of the feed after the position, as one event; more pages are read as further steps. */
    private void readPage() throws IOException {
        long from;
        synchronized (this) {
            from = position;
        }
        ChangeFeedPages.Page page = pages.after(userId, authorization, from);
        if (page.lastSeq() > from) {
            send(page.items(), page.lastSeq());
        }
        synchronized (this) {
            readWanted = page.hasMore();
            failedReads = 0;
        }
    }

    private void send(List<?> items, long seq) throws IOException {
        emitter.send(SseEmitter.event().id(Cursors.changesCursor(userId, seq)).name(EVENT)
                .data(Map.of("items", items), MediaType.APPLICATION_JSON));
        synchronized (this) {
            position = seq;
        }
    }

    private void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            outcomes.clear();
        }
        onClosed.accept(this);
    }
}
