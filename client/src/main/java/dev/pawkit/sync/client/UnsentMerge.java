package dev.pawkit.sync.client;

/**
 * Whether a card's next queued operation can be folded into the one before it, just before that
 * one is sent. Pure. Only operations that never went on the wire are merged: their keys were never
 * seen by the server, so giving one of them other content cannot change what an applied key meant.
 * Anything sent once (even without an answer) is left exactly as it is.
 *
 * <ul>
 * <li>a create, then an update: one create with the updated fields;
 * <li>an update, then an update: one update, later values win, on the first one's base version and
 *     base fields (what the user saw before the first edit: the base of a three-way merge); edits
 *     that end where they started leave nothing to send;
 * <li>a create, then a delete: the card never reached the server, so neither is sent;
 * <li>an update, then a delete: only the delete, on the update's base version (a newer server
 *     version is still a conflict, never a silent delete).
 * </ul>
 * Never merged: refresh-metadata requests (a refresh is asked for, not a change of fields) and
 * anything after a delete.
 */
final class UnsentMerge {

    /** What becomes of the pair. */
    sealed interface Outcome {
    }

    /** Not merged: the first is sent as it is, the second waits for it. */
    record Keep() implements Outcome {
    }

    /** The first becomes this (same queue position, same key, same base version); the second goes. */
    record Rewrite(OperationKind kind, CardFields fields, CardPatch patch) implements Outcome {
    }

    /** The two cancel out: both leave the queue and nothing is sent for them. */
    record DropBoth() implements Outcome {
    }

    private UnsentMerge() {
    }

    /** @param first a card's operation; @param next the card's operation queued right after it */
    static Outcome of(Operation first, Operation next) {
        if (first.sent() || next.sent()) {
            return new Keep();
        }
        return switch (next.kind()) {
            case UPDATE -> switch (first.kind()) {
                case CREATE -> new Rewrite(OperationKind.CREATE, next.patch().applyTo(first.fields()), null);
                case UPDATE -> {
                    CardPatch merged = first.patch();
                    for (var change : next.patch().changes().entrySet()) {
                        merged = merged.with(change.getKey(), change.getValue());
                    }
                    CardPatch effective = merged.changesTo(first.baseFields());
                    yield effective.isEmpty() ? new DropBoth() : new Rewrite(OperationKind.UPDATE, null, effective);
                }
                default -> new Keep();
            };
            case DELETE -> switch (first.kind()) {
                case CREATE -> new DropBoth();
                case UPDATE -> new Rewrite(OperationKind.DELETE, null, null);
                default -> new Keep();
            };
            default -> new Keep();
        };
    }
}
