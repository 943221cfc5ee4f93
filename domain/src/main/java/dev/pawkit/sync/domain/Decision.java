package dev.pawkit.sync.domain;

import java.util.List;

/** The decider's answer to a command: the events to append, or why not. */
public sealed interface Decision {

    record Accepted(List<CardEvent> events) implements Decision {
        public Accepted {
            events = List.copyOf(events);
        }
    }

    record Rejected(Rejection rejection) implements Decision {
    }
}
