package dev.pawkit.sync.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private static final TopicPartition P0 = new TopicPartition("events", 0);
    private static final TopicPartition P1 = new TopicPartition("events", 1);

    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void commitsStopAtTheFirstUnansweredRecordHoweverManyLaterOnesAreDone() {
        for (long offset = 10; offset <= 14; offset++) {
            tracker.track(P0, offset);
        }
        tracker.finish(P0, 12);
        tracker.finish(P0, 13);
        assertThat(tracker.takeCommittable()).isEmpty();
        assertThat(tracker.unfinished()).isEqualTo(3);

        tracker.finish(P0, 10);
        assertThat(tracker.takeCommittable()).isEqualTo(Map.of(P0, 11L));
        tracker.finish(P0, 11);
        assertThat(tracker.takeCommittable()).as("up to 13, 14 is still open").isEqualTo(Map.of(P0, 14L));
        assertThat(tracker.takeCommittable()).as("nothing new").isEmpty();
        tracker.finish(P0, 14);
        assertThat(tracker.takeCommittable()).isEqualTo(Map.of(P0, 15L));
        assertThat(tracker.unfinished()).isZero();
    }

    @Test
    void partitionsAdvanceIndependently() {
        tracker.track(P0, 0);
        tracker.track(P1, 0);
        tracker.track(P1, 1);
        tracker.finish(P1, 0);
        tracker.finish(P1, 1);
        assertThat(tracker.takeCommittable(List.of(P0, P1))).isEqualTo(Map.of(P1, 2L));
    }

    @Test
    void aForgottenPartitionIgnoresLateAnswers() {
        tracker.track(P0, 5);
        tracker.forget(List.of(P0));
        tracker.finish(P0, 5);
        assertThat(tracker.takeCommittable()).isEmpty();
        assertThat(tracker.unfinished()).isZero();
    }

    @Test
    void anAnswerCountsOnce() {
        tracker.track(P0, 1);
        tracker.track(P0, 2);
        tracker.finish(P0, 2);
        tracker.finish(P0, 2);
        assertThat(tracker.unfinished()).isEqualTo(1);
    }
}
