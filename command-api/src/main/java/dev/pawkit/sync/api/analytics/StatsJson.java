package dev.pawkit.sync.api.analytics;

import dev.pawkit.sync.analytics.Stats;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shape of a scope's numbers, as /api/stats and /api/stats/global answer them. */
final class StatsJson {

    private StatsJson() {
    }

    static Map<String, Object> of(Stats stats, LocalDate since, long lag) {
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
        body.put("tags", ranked(stats.tags(), "tag"));
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
