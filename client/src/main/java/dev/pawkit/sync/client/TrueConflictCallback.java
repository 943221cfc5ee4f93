package dev.pawkit.sync.client;

/** Asked by {@link ThreeWayMerge} which side wins where both changed the same thing. */
@FunctionalInterface
public interface TrueConflictCallback {

    enum Side { MINE, THEIRS }

    /** Both sides changed {@code conflict.field()}. */
    Side chooseField(FieldConflict conflict);

    /** I deleted the card, the server's card was edited meanwhile: delete anyway (MINE) or keep it (THEIRS). */
    default Side chooseDeletion(String cardId, CardFields base, ServerCard theirs) {
        return Side.MINE;
    }
}
