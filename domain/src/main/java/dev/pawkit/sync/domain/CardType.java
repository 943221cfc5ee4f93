package dev.pawkit.sync.domain;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of card a user can save; {@link #wireName()} is the name clients send and see. */
public enum CardType {
    URL("url"),
    MD_NOTE("md-note"),
    TEXT_NOTE("text-note");

    private final String wireName;

    CardType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<CardType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
