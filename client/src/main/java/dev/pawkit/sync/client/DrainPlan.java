package dev.pawkit.sync.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which queued operations may be sent now. Pure. Per card, only the oldest operation may go: an
 * update waits for its card's create, a later edit for an earlier one. A failed operation holds
 * back its own card's later operations (their order must not change) but never another card's.
 */
final class DrainPlan {

    private DrainPlan() {
    }

    /** The first operation of each card, in queue order. */
    static List<Operation> heads(List<Operation> queue) {
        Map<String, Operation> heads = new LinkedHashMap<>();
        for (Operation op : queue) {
            heads.putIfAbsent(op.cardId(), op);
        }
        return new ArrayList<>(heads.values());
    }

    /** Up to {@code limit} operations to send now, oldest first. */
    static List<Operation> ready(List<Operation> queue, Instant now, int limit) {
        return heads(queue).stream().filter(op -> isDue(op, now)).limit(limit).toList();
    }

    /** When the earliest scheduled retry falls due, if any is scheduled. */
    static Optional<Instant> nextRetry(List<Operation> queue) {
        return heads(queue).stream()
                .filter(op -> op.status() == OperationStatus.RETRYING && op.nextAttemptAt() != null)
                .map(Operation::nextAttemptAt)
                .min(Instant::compareTo);
    }

    private static boolean isDue(Operation op, Instant now) {
        return switch (op.status()) {
            case PENDING -> true;
            case RETRYING -> op.nextAttemptAt() == null || !op.nextAttemptAt().isAfter(now);
            case FAILED -> false;
        };
    }
}
