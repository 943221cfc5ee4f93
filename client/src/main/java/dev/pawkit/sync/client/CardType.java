package dev.pawkit.sync.client;

import java.util.Arrays;

/** The kinds of card the server knows, by their wire names. A card's type never changes. */
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

    public static CardType fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown card type '" + name
                        + "': one of url, md-note, text-note"));
    }
}
