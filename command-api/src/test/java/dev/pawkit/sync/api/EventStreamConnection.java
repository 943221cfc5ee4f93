package dev.pawkit.sync.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One connection to {@code GET /api/cards/changes/stream} as a test sees it: the status, and the
 * events as they arrive (server-sent events: {@code id}, {@code event}, {@code data} lines ended by
 * a blank line; comment lines counted), read on a thread of its own.
 */
public final class EventStreamConnection implements AutoCloseable {

    public record Event(String id, String name, String data) {
    }

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final List<String> errorBody = new ArrayList<>();

    private EventStreamConnection(HttpResponse<Stream<String>> response) {
        this.response = response;
        if (response.statusCode() == 200) {
            Thread reader = new Thread(this::read, "test-event-stream");
            reader.setDaemon(true);
            reader.start();
        } else {
            response.body().forEach(errorBody::add);
            ended.countDown();
        }
    }

    /** Opens a stream with the given token (none when null) and extra headers; {@code query} may be "". */
    public static EventStreamConnection open(HttpClient http, int port, String bearer, String query,
            Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/cards/changes/stream" + query))
                .header("Accept", "text/event-stream").GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        headers.forEach(request::header);
        try {
            return new EventStreamConnection(http.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** The answer's Retry-After header, "" without one. */
    public String retryAfter() {
        return response.headers().firstValue("Retry-After").orElse("");
    }

    /** The body of a refused stream (its problem document). */
    public String errorBody() {
        return String.join("\n", errorBody);
    }

    /** The next event, waiting up to {@code timeout}; an AssertionError when none came. */
    public Event next(Duration timeout) throws InterruptedException {
        Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no event within " + timeout);
        }
        return event;
    }

    /** The next event if one comes within {@code timeout}, else null. */
    public Event poll(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int comments() {
        return comments.get();
    }

    /** True once the server has ended the stream (or the connection broke). */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = null;
        try {
            Iterator<String> lines = response.body().iterator();
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    name = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> name = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> { } // retry, or a field this reader does not need
                    }
                }
            }
        } catch (RuntimeException e) {
            // The connection broke or was closed by the test.
        } finally {
            ended.countDown();
        }
    }

    @Override
    public void close() {
        response.body().close();
    }
}
