package dev.pawkit.sync.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event-stream reader on bodies written out by hand: given lines, then the events dispatched. */
class SseParserTest {

    @Test
    void anEventIsItsIdTypeAndDataDispatchedByABlankLine() {
        assertThat(events("id: c1", "event: changes", "data: {\"items\":[]}", ""))
                .containsExactly(new SseParser.Event("c1", "changes", "{\"items\":[]}"));
    }

    @Test
    void nothingIsDispatchedBeforeTheBlankLine() {
        assertThat(events("id: c1", "event: changes", "data: {}")).isEmpty();
    }

    @Test
    void severalDataLinesAreJoinedWithNewlines() {
        assertThat(events("data: first", "data: second", "data:third", ""))
                .containsExactly(new SseParser.Event(null, "message", "first\nsecond\nthird"));
    }

    @Test
    void commentsAndHeartbeatsAreIgnored() {
        assertThat(events(": heartbeat", "", ": stream of u", "id: c2", "event: changes", ": between", "data: x", ""))
                .containsExactly(new SseParser.Event("c2", "changes", "x"));
    }

    @Test
    void crlfLineEndsAreReadLikeLf() {
        assertThat(events("id: c3\r", "event: changes\r", "data: x\r", "\r"))
                .containsExactly(new SseParser.Event("c3", "changes", "x"));
    }

    @Test
    void theIdCarriesOverToLaterEventsAndTheTypeDoesNot() {
        assertThat(events("id: c4", "event: changes", "data: a", "", "data: b", ""))
                .containsExactly(new SseParser.Event("c4", "changes", "a"), new SseParser.Event("c4", "message", "b"));
    }

    @Test
    void retryIsKeptWhenItIsANumber() {
        SseParser parser = new SseParser();
        parser.line("retry: 1000");
        parser.line("retry: soon");
        assertThat(parser.retry()).contains(Duration.ofMillis(1000));
    }

    @Test
    void onlyOneSpaceAfterTheColonIsDroppedAndAFieldWithoutColonIsEmpty() {
        assertThat(events("data:  two spaces", "")).containsExactly(new SseParser.Event(null, "message", " two spaces"));
        assertThat(events("data", "")).containsExactly(new SseParser.Event(null, "message", ""));
    }

    @Test
    void unknownFieldsAreIgnored() {
        assertThat(events("foo: bar", "data: x", "")).containsExactly(new SseParser.Event(null, "message", "x"));
    }

    private static List<SseParser.Event> events(String... lines) {
        SseParser parser = new SseParser();
        List<SseParser.Event> events = new ArrayList<>();
        for (String line : lines) {
            parser.line(line).ifPresent(events::add);
        }
        return events;
    }
}
