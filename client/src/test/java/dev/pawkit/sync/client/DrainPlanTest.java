package dev.pawkit.sync.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which operations may be sent now: per-card order, failures isolated per card. Pure. */
class DrainPlanTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void anUpdateWaitsForItsCardsCreate() {
        List<Operation> queue = List.of(op(1, "a", OperationKind.CREATE, OperationStatus.PENDING, null),
                op(2, "a", OperationKind.UPDATE, OperationStatus.PENDING, null));
        assertThat(DrainPlan.ready(queue, NOW, 10)).extracting(Operation::seq).containsExactly(1L);
    }

    @Test
    void differentCardsGoTogetherInQueueOrder() {
        List<Operation> queue = List.of(op(1, "a", OperationKind.CREATE, OperationStatus.PENDING, null),
                op(2, "b", OperationKind.CREATE, OperationStatus.PENDING, null),
                op(3, "a", OperationKind.UPDATE, OperationStatus.PENDING, null),
                op(4, "c", OperationKind.DELETE, OperationStatus.PENDING, null));
        assertThat(DrainPlan.ready(queue, NOW, 10)).extracting(Operation::seq).containsExactly(1L, 2L, 4L);
        assertThat(DrainPlan.ready(queue, NOW, 2)).extracting(Operation::seq).containsExactly(1L, 2L);
    }

    @Test
    void aFailedOperationHoldsBackOnlyItsOwnCard() {
        List<Operation> queue = List.of(op(1, "a", OperationKind.CREATE, OperationStatus.FAILED, null),
                op(2, "a", OperationKind.UPDATE, OperationStatus.PENDING, null),
                op(3, "b", OperationKind.CREATE, OperationStatus.PENDING, null));
        assertThat(DrainPlan.ready(queue, NOW, 10)).extracting(Operation::seq).containsExactly(3L);
    }

    @Test
    void aRetryWaitsUntilItIsDue() {
        Operation later = op(1, "a", OperationKind.CREATE, OperationStatus.RETRYING, NOW.plusSeconds(2));
        Operation due = op(2, "b", OperationKind.CREATE, OperationStatus.RETRYING, NOW);
        List<Operation> queue = List.of(later, due);
        assertThat(DrainPlan.ready(queue, NOW, 10)).containsExactly(due);
        assertThat(DrainPlan.ready(queue, NOW.plusSeconds(2), 10)).containsExactly(later, due);
        assertThat(DrainPlan.nextRetry(queue)).contains(NOW);
        assertThat(DrainPlan.nextRetry(List.of(later))).contains(NOW.plusSeconds(2));
    }

    @Test
    void aRetryScheduledBehindAnotherOperationOfItsCardIsNotAWakeUp() {
        List<Operation> queue = List.of(op(1, "a", OperationKind.CREATE, OperationStatus.FAILED, null),
                op(2, "a", OperationKind.UPDATE, OperationStatus.RETRYING, NOW));
        assertThat(DrainPlan.nextRetry(queue)).isEmpty();
    }

    private static Operation op(long seq, String card, OperationKind kind, OperationStatus status, Instant next) {
        return new Operation(seq, kind, card, "key-" + seq, null, null, 0, null, status, 0, next, null, NOW, false);
    }
}
