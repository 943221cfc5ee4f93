package dev.pawkit.sync.client;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Takes a card's oldest operation for sending, in the drain's transaction: first the card's
 * never-sent operations are folded into it where {@link UnsentMerge} allows, then it is marked
 * sent and read back as it is now. One transaction, so a crash leaves either the queue before the
 * merge or the one after it, and what is sent is exactly what is stored (never an older read).
 */
final class OperationClaim {

    private OperationClaim() {
    }

    /** The operation to send for the card now, or empty when merging left nothing to send. */
    static Optional<Operation> claim(LocalStore.Tables t, String cardId) throws SQLException {
        List<Operation> ops = t.operations().ofCard(cardId);
        Operation head = null;
        int i = 0;
        while (i < ops.size()) {
            if (head == null) {
                head = ops.get(i++);
                if (head.sent() || head.status() == OperationStatus.FAILED) {
                    break;
                }
                continue;
            }
            Operation next = ops.get(i);
            UnsentMerge.Outcome outcome = UnsentMerge.of(head, next);
            if (outcome instanceof UnsentMerge.Rewrite rewrite) {
                t.operations().rewrite(head.seq(), rewrite.kind(), rewrite.fields(), rewrite.patch());
                t.operations().delete(next.seq());
                head = t.operations().find(head.seq()).orElseThrow();
                i++;
            } else if (outcome instanceof UnsentMerge.DropBoth) {
                t.operations().delete(head.seq());
                t.operations().delete(next.seq());
                head = null;
                i++;
            } else {
                break;
            }
        }
        if (head == null || head.status() == OperationStatus.FAILED) {
            return Optional.empty();
        }
        t.operations().markSent(head.seq());
        return t.operations().find(head.seq());
    }
}
