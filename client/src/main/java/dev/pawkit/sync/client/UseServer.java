package dev.pawkit.sync.client;

/** Conflict policy: the server's card wins; my change is dropped, but journaled and reported. */
public final class UseServer implements ConflictResolver {

    @Override
    public Resolution resolve(Conflict conflict) {
        return new Resolution.TakeServer();
    }
}
