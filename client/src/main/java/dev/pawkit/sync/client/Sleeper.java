package dev.pawkit.sync.client;

import java.time.Duration;

/** How the client waits (between polls of a 202, between scheduled retries in a foreground sync); tests pass a fake. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = duration -> Thread.sleep(Math.max(0, duration.toMillis()));

    void sleep(Duration duration) throws InterruptedException;
}
