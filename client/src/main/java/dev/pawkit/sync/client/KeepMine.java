package dev.pawkit.sync.client;

/** Conflict policy: my change wins; it is applied again on the server's current version. */
public final class KeepMine implements ConflictResolver {

    @Override
    public Resolution resolve(Conflict conflict) {
        return new Resolution.SendMine();
    }
}
