package dev.pawkit.sync.client;

/**
 * Decides what to do when a queued change meets a newer version of its card: {@link KeepMine},
 * {@link UseServer}, {@link ThreeWayMerge}, or an application's own (e.g. one that asks the user).
 * Every decision is journaled and reported, so no change is dropped silently.
 */
@FunctionalInterface
public interface ConflictResolver {

    Resolution resolve(Conflict conflict);
}
