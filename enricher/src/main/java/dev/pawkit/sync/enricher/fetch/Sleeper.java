package dev.pawkit.sync.enricher.fetch;

import java.time.Duration;

/** Waits between retries; a seam so tests neither sleep nor depend on timing. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    static Sleeper real() {
        return duration -> Thread.sleep(duration.toMillis());
    }
}
