package dev.pawkit.sync.api.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.Card;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.CommandOutcome;
import dev.pawkit.sync.domain.Metadata;
import dev.pawkit.sync.domain.log.OutcomeEnvelope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One stream's queue of outcomes, with the feed and the pool as small fakes: outcomes that are
 * the next change are sent without reading the feed; past {@link ChangeStream#MAX_QUEUED_OUTCOMES}
 * waiting (a reader slower than the writes) they are dropped and the feed is read from the
 * stream's position instead, so memory stays bounded and nothing is skipped.
 */
class ChangeStreamQueueTest {

    private static final String USER = "queue-user";
    private static final Instant AT = Instant.parse("2026-12-07T00:00:00Z");

    /** Steps handed to the pool, run only when the test says so: as if the pool were busy meanwhile. */
    private final List<Runnable> pool = new ArrayList<>();
    /** The positions the feed was read after, in order. */
    private final List<Long> feedReads = new ArrayList<>();
    /** The fake feed's last change. */
    private long feedHead;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    private final ChangeFeedPages feed = new ChangeFeedPages(null, null) {
        @Override
        Page after(String userId, String authorization, long sinceSeq) {
            feedReads.add(sinceSeq);
            return new Page(List.of(), Math.max(sinceSeq, feedHead), false);
        }
    };

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void outcomesThatAreTheNextChangeAreSentWithoutReadingTheFeed() throws Exception {
        ChangeStream stream = started();
        for (long seq = 1; seq <= ChangeStream.MAX_QUEUED_OUTCOMES; seq++) {
            stream.offer(applied(seq));
        }
        runPool();
        assertThat(feedReads).as("only the catch-up when it opened").containsExactly(0L);

        // A gap (257 skipped): the feed is read from where the sent outcomes left the stream.
        feedHead = ChangeStream.MAX_QUEUED_OUTCOMES + 2;
        stream.offer(applied(ChangeStream.MAX_QUEUED_OUTCOMES + 2));
        runPool();
        assertThat(feedReads).containsExactly(0L, (long) ChangeStream.MAX_QUEUED_OUTCOMES);
    }

    @Test
    void pastTheLimitWaitingOutcomesAreDroppedAndTheFeedIsReadInstead() throws Exception {
        ChangeStream stream = started();
        int offered = ChangeStream.MAX_QUEUED_OUTCOMES + 1;
        feedHead = offered;
        for (long seq = 1; seq <= offered; seq++) {
            stream.offer(applied(seq));
        }
        runPool();
        // None of them was sent (the position stayed at 0): one read from there covers them all.
        assertThat(feedReads).containsExactly(0L, 0L);

        // The read moved the stream to the feed's head: the next change goes out as it is...
        stream.offer(applied(offered + 1));
        runPool();
        assertThat(feedReads).containsExactly(0L, 0L);
        // ...and a later gap is read from after it.
        feedHead = offered + 3;
        stream.offer(applied(offered + 3));
        runPool();
        assertThat(feedReads).containsExactly(0L, 0L, (long) offered + 1);
    }

    private ChangeStream started() throws Exception {
        ChangeStream stream = new ChangeStream(USER, "Bearer t", 0, AT.plusSeconds(3600), feed, pool::add, timer,
                closed -> { });
        stream.start();
        return stream;
    }

    private void runPool() {
        while (!pool.isEmpty()) {
            pool.remove(0).run();
        }
    }

    private static OutcomeEnvelope applied(long seq) {
        Card card = new Card("card-" + seq, USER, new CardFields(CardType.TEXT_NOTE, null, "t" + seq, null, "c",
                List.of(), List.of(), false, Metadata.EMPTY), 1, AT, AT, false);
        return new OutcomeEnvelope("command-" + seq, USER, card.id(), false,
                new CommandOutcome.Applied(CommandOutcome.Kind.CREATED, card), seq, seq);
    }
}
