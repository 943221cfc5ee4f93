package dev.pawkit.sync.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One connection to the live change stream ({@code GET /api/cards/changes/stream}): opened from
 * the stored feed cursor (sent as {@code Last-Event-ID}), each {@code changes} event applied like a
 * feed page ({@link DeltaSync#apply}: its cards and its id as the new cursor in one transaction),
 * until the stream ends. Then it tells how it ended; reconnecting is {@link LiveSync}'s job. Since
 * the cursor moves only with what was applied, a reconnect from it has neither gap nor duplicate.
 * A connection silent for longer than {@code silenceLimit} (the server sends a heartbeat every
 * ~15 s) is taken for dead and ended: a connection that died without a FIN would otherwise wait
 * for the operating system to give up on it, with no live changes meanwhile.
 */
final class ChangeStreamReader {

    /** How a connection ended. */
    sealed interface End {
    }

    /**
     * The stream was open and ended: the server closed it (token expiry, its lifetime, shutdown), the
     * connection broke, or an event could not be applied (it comes again after the reconnect).
     *
     * @param lines lines read: none means it ended as soon as it opened
     * @param retry the server's {@code retry:}, or null
     */
    record Ended(long lines, Duration retry) implements End {
    }

    /** The server answered other than 200 (400, 401, 404, 405, 406, 429, 503, ...). */
    record Refused(int status, Duration retryAfter, String body) implements End {
    }

    /** No answer: the server could not be reached, or the connection broke before the answer. */
    record Unreachable(String error) implements End {
    }

    static final String EVENT = "changes";

    /** Three heartbeats missed. */
    static final Duration SILENCE_LIMIT = Duration.ofSeconds(45);

    private final CardApi api;
    private final DeltaSync deltaSync;
    private final Clock clock;
    private final Duration silenceLimit;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pawkit-sync-stream-watchdog");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Stream<String> open;
    private volatile long lastLineNanos;
    private volatile boolean closed;

    ChangeStreamReader(CardApi api, DeltaSync deltaSync, Clock clock, Duration silenceLimit) {
        this.api = api;
        this.deltaSync = deltaSync;
        this.clock = clock;
        this.silenceLimit = silenceLimit;
    }

    /** Opens the stream and applies its events until it ends; blocks meanwhile. */
    End follow() {
        HttpResponse<Stream<String>> response;
        try {
            response = api.changeStream(deltaSync.cursor());
        } catch (IOException e) {
            return new Unreachable(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Unreachable("interrupted");
        }
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() != 200) {
                String body = lines.limit(100).collect(Collectors.joining("\n"));
                Duration retryAfter = ResponseClassifier.retryAfter(
                        response.headers().firstValue("Retry-After").orElse(null), clock.instant());
                return new Refused(response.statusCode(), retryAfter, body);
            }
            open = lines;
            if (closed) {
                return new Ended(0, null);
            }
            lastLineNanos = System.nanoTime();
            long every = Math.max(1, silenceLimit.toMillis() / 3);
            ScheduledFuture<?> watch = watchdog.scheduleWithFixedDelay(() -> endIfSilent(lines), every, every,
                    TimeUnit.MILLISECONDS);
            try {
                return read(lines.iterator());
            } finally {
                watch.cancel(false);
            }
        } finally {
            open = null;
        }
    }

    private Ended read(Iterator<String> lines) {
        SseParser parser = new SseParser();
        long read = 0;
        try {
            while (lines.hasNext()) {
                String line = lines.next();
                lastLineNanos = System.nanoTime();
                read++;
                Optional<SseParser.Event> event = parser.line(line);
                if (event.isPresent() && event.get().type().equals(EVENT) && event.get().id() != null) {
                    deltaSync.apply(CardJson.parse(event.get().data()).get("items"), event.get().id());
                }
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            // The connection broke or was closed; what was applied is stored with its cursor.
        } catch (RuntimeException e) {
            // An event that cannot be read or stored: not applied, so the reconnect brings it again.
            System.getLogger(ChangeStreamReader.class.getName()).log(System.Logger.Level.WARNING,
                    "a change stream event could not be applied; reconnecting", e);
        }
        return new Ended(read, parser.retry().orElse(null));
    }

    private void endIfSilent(Stream<String> lines) {
        if (System.nanoTime() - lastLineNanos > silenceLimit.toNanos()) {
            System.getLogger(ChangeStreamReader.class.getName()).log(System.Logger.Level.INFO,
                    "the change stream was silent for more than " + silenceLimit + "; reconnecting");
            lines.close();
        }
    }

    /** Ends the open connection, if any (from another thread: the client is closing). */
    void close() {
        closed = true;
        watchdog.shutdownNow();
        Stream<String> lines = open;
        if (lines != null) {
            lines.close();
        }
    }
}
