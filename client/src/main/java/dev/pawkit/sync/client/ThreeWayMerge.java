package dev.pawkit.sync.client;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Conflict policy: merge field by field against the base the change was made on. A field only I
 * changed takes my value, one only the server changed keeps the server's, tags and collections
 * merge as sets (both sides' additions and removals apply); where both changed a field to
 * different values the callback chooses. Pure: no I/O, no clock.
 */
public final class ThreeWayMerge implements ConflictResolver {

    private final TrueConflictCallback callback;

    public ThreeWayMerge(TrueConflictCallback callback) {
        this.callback = Objects.requireNonNull(callback);
    }

    @Override
    public Resolution resolve(Conflict conflict) {
        if (conflict.kind() == OperationKind.DELETE) {
            // A deletion conflicts only with real edits; a card untouched since I saw it is simply deleted.
            boolean edited = conflict.base() == null || !conflict.base().equals(conflict.theirs().fields());
            if (!edited) {
                return new Resolution.SendMine();
            }
            return callback.chooseDeletion(conflict.cardId(), conflict.base(), conflict.theirs())
                    == TrueConflictCallback.Side.MINE ? new Resolution.SendMine() : new Resolution.TakeServer();
        }
        return new Resolution.Send(merge(conflict.cardId(), conflict.base(), conflict.mine(),
                conflict.theirs().fields()));
    }

    /** The patch that puts my changes on top of {@code theirs}; empty when the server already has them. */
    public CardPatch merge(String cardId, CardFields base, CardPatch mine, CardFields theirs) {
        CardPatch result = CardPatch.empty();
        for (Map.Entry<CardField, Object> change : mine.changes().entrySet()) {
            CardField field = change.getKey();
            Object b = field.valueIn(base);
            Object m = normalized(field, change.getValue());
            Object t = field.valueIn(theirs);
            Object merged;
            if (field.isSet()) {
                merged = mergeSets(labels(b), labels(m), labels(t));
            } else if (Objects.equals(m, t) || Objects.equals(m, b)) {
                // Both sides agree, or I did not really change it: the server's value stands.
                continue;
            } else if (Objects.equals(t, b)) {
                merged = m;
            } else if (callback.chooseField(new FieldConflict(cardId, field, b, m, t)) == TrueConflictCallback.Side.MINE) {
                merged = m;
            } else {
                continue;
            }
            if (!Objects.equals(merged, t)) {
                result = result.with(field, merged);
            }
        }
        return result;
    }

    /** The server's members, less what I removed, plus what I added (in the server's order, then mine). */
    static List<String> mergeSets(List<String> base, List<String> mine, List<String> theirs) {
        Set<String> removedByMe = new LinkedHashSet<>(base);
        removedByMe.removeAll(mine);
        Set<String> addedByMe = new LinkedHashSet<>(mine);
        addedByMe.removeAll(base);
        Set<String> result = new LinkedHashSet<>(theirs);
        result.removeAll(removedByMe);
        result.addAll(addedByMe);
        return new ArrayList<>(result);
    }

    private static Object normalized(CardField field, Object value) {
        if (value == null && field.isSet()) {
            return List.of();
        }
        if (value == null && field == CardField.PINNED) {
            return false;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static List<String> labels(Object value) {
        return value == null ? List.of() : (List<String>) value;
    }
}
