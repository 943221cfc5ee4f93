package dev.pawkit.sync.analytics.counting;

import java.util.Objects;

/** One counter moved by one event: {@code stat} at {@code key} by {@code by} (never 0). */
public record StatDelta(Stat stat, String key, long by) {

    public StatDelta {
        Objects.requireNonNull(stat, "stat");
        Objects.requireNonNull(key, "key");
    }
}
