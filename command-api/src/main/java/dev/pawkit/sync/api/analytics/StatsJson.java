package dev.pawkit.sync.api.analytics;

import dev.pawkit.sync.analytics.Stats;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of a scope's numbers, as /api/stats and /api/stats/global answer them. Only a
 * user's own numbers have {@code tags}: tags are a user's own words and are not counted globally.
 */
final class StatsJson {

    private StatsJson() {
    }

    /** A user's own numbers: days, domains and tags. */
    static Map<String, Object> own(Stats stats, LocalDate since, long lag) {
        return of(stats, since, lag, true);
    }

    /** Everyone's numbers: days and domains. */
    static Map<String, Object> global(Stats stats, LocalDate since, long lag) {
        return of(stats, since, lag, false);
    }

    private static Map<String, Object> of(Stats stats, LocalDate since, long lag, boolean tags) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("since", since.toString());
        body.put("days", stats.days().stream().map(day -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("day", day.day());
            entry.put("created", day.created());
            entry.put("updated", day.updated());
            entry.put("deleted", day.deleted());
            return entry;
        }).toList());
        body.put("topDomains", ranked(stats.topDomains(), "domain"));
        if (tags) {
            body.put("tags", ranked(stats.tags(), "tag"));
        }
        body.put("lag", lag);
        return body;
    }

    private static List<Map<String, Object>> ranked(List<Stats.Ranked> ranked, String name) {
        return ranked.stream().map(entry -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put(name, entry.name());
            json.put("cards", entry.cards());
            return json;
        }).toList();
    }
}
