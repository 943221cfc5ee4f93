package dev.pawkit.sync.analytics.counting;

import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.domain.CardEvent.CardCreated;
import dev.pawkit.sync.domain.CardEvent.CardUpdated;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What one card event does to the counters, given what was known of the card before it: the
 * day's created / updated / deleted count (the UTC day of the event's {@code at}, so a replay
 * counts every event on the same day again), and the moves of the live-card counters (domain,
 * tags) from the card's old facts to its new ones. Pure: the same events give the same deltas.
 */
public final class StatsDecider {

    /** The card's facts after the event (null once deleted) and the counter moves it causes. */
    public record Counted(CardFacts after, List<StatDelta> deltas) {
        public Counted {
            deltas = List.copyOf(deltas);
        }

        /**
         * The moves that may be counted over every user: the days and the domains. Tags are a
         * user's own words, so they are only ever counted for their owner (sealed), never globally.
         */
        public List<StatDelta> globalDeltas() {
            return deltas.stream().filter(delta -> delta.stat() != Stat.TAG).toList();
        }
    }

    private static final Counted NOTHING = new Counted(null, List.of());

    private StatsDecider() {
    }

    /**
     * @param before the card's facts before this event, null if none are known: a new card, or a
     *     card analytics never saw created readably (its owner was erased) or whose facts are sealed
     *     under a destroyed key
     */
    public static Counted decide(CardFacts before, CardEvent event) {
        String day = LocalDate.ofInstant(event.at(), ZoneOffset.UTC).toString();
        // Java 17 has no pattern switch; CardEvent is sealed, so these branches are exhaustive.
        if (event instanceof CardCreated created) {
            return counted(new StatDelta(Stat.CREATED, day, 1), before, CardFacts.of(created.fields()));
        }
        if (before == null) {
            // An update or delete of a card whose creation was not counted. Analytics reads the log
            // from its first event, so that is a card of an erased user (whose deletes stay readable:
            // they carry nothing personal): counting it would bring the user's numbers back.
            return NOTHING;
        }
        if (event instanceof CardUpdated updated) {
            return counted(new StatDelta(Stat.UPDATED, day, 1), before, before.with(updated.changes()));
        }
        return counted(new StatDelta(Stat.DELETED, day, 1), before, null);
    }

    private static Counted counted(StatDelta daily, CardFacts before, CardFacts after) {
        List<StatDelta> deltas = new ArrayList<>();
        deltas.add(daily);
        deltas.addAll(CardFacts.difference(before, after));
        return new Counted(after, deltas);
    }
}
