package dev.pawkit.sync.analytics;

import dev.pawkit.sync.analytics.counting.Stat;
import java.util.List;

/**
 * The numbers of one scope (a user, or everyone): per UTC day from a start day on, the cards
 * created, updated and deleted; the domains with the most live url cards; the tags on the most
 * live cards (a user's own only: globally, tags are not counted and the list is empty).
 */
public record Stats(List<DayCount> days, List<Ranked> topDomains, List<Ranked> tags) {

    public record DayCount(String day, long created, long updated, long deleted) {

        static DayCount of(String day, Stat stat, long count) {
            return new DayCount(day, stat == Stat.CREATED ? count : 0, stat == Stat.UPDATED ? count : 0,
                    stat == Stat.DELETED ? count : 0);
        }

        DayCount plus(DayCount other) {
            return new DayCount(day, created + other.created, updated + other.updated, deleted + other.deleted);
        }
    }

    /** A domain or tag and the live cards it counts. */
    public record Ranked(String name, long cards) {
    }
}
