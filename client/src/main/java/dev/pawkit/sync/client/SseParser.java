package dev.pawkit.sync.client;

import java.time.Duration;
import java.util.Optional;

/**
 * Reads a server-sent events stream line by line (the WHATWG "event stream interpretation"):
 * {@code id}, {@code event}, {@code data} (several lines joined with a newline), {@code retry};
 * comment lines (a leading colon, e.g. the server's heartbeats) and unknown fields are ignored; a
 * blank line dispatches the event. Lines may end in CRLF, LF or CR. Pure and not thread-safe: one
 * parser per connection.
 *
 * <p>Hand-written because the JDK's HTTP client has no SSE support, and the one ready-made
 * client for the JVM (okhttp-sse) would bring OkHttp and the Kotlin runtime into a plain-Java library.
 */
final class SseParser {

    /** One dispatched event. @param id the last event id seen on this connection (null if none yet) */
    record Event(String id, String type, String data) {
    }

    private String lastEventId;
    private String type = "";
    private StringBuilder data;
    private Duration retry;

    /** Feeds one line (without its terminator); returns the event a blank line dispatches, if any. */
    Optional<Event> line(String raw) {
        String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.startsWith(":")) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "id" -> {
                // An id with NUL is ignored, as the standard says.
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            case "event" -> type = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
                    retry = Duration.ofMillis(Long.parseLong(value));
                }
            }
            default -> {
                // Unknown fields are ignored.
            }
        }
        return Optional.empty();
    }

    /** The server's last {@code retry:} (how long to wait before reconnecting), if it sent one. */
    Optional<Duration> retry() {
        return Optional.ofNullable(retry);
    }

    private Optional<Event> dispatch() {
        if (data == null) {
            // No data: nothing to dispatch (the id, if one came, is kept as the standard says).
            type = "";
            return Optional.empty();
        }
        Event event = new Event(lastEventId, type.isEmpty() ? "message" : type, data.toString());
        type = "";
        data = null;
        return Optional.of(event);
    }
}
