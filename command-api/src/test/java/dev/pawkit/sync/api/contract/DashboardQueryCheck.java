package dev.pawkit.sync.api.contract;

import dev.pawkit.sync.api.Scrape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Checks the PromQL of a Grafana dashboard against one real scrape: every metric a query selects
 * is in the scrape, with a sample carrying each label value it filters on exactly ({@code =}), a
 * sample whose label matches each regex filter ({@code =~}), and every label it groups by. A
 * dashboard naming a metric the application does not export draws an empty panel, silently.
 */
final class DashboardQueryCheck {

    /** {@code name{filters}}: every selector of the dashboard carries at least the instance filter. */
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
    private static final Pattern FILTER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)\\s*\"([^\"]*)\"");
    private static final Pattern GROUPING = Pattern.compile("\\bby\\s*\\(([^)]*)\\)");
    /** Labels Prometheus adds when it scrapes (instance, job), or that histograms have by construction. */
    private static final Set<String> SCRAPER_LABELS = Set.of("instance", "job");

    private final Scrape scrape;
    /** Label values that appear only under a fault this check's context does not make, and the test that shows them. */
    private final Map<String, String> faultOnly;

    DashboardQueryCheck(Scrape scrape, Map<String, String> faultOnly) {
        this.scrape = scrape;
        this.faultOnly = faultOnly;
    }

    /** Every query ({@code expr}) anywhere in the dashboard. */
    static List<String> queries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        collect(dashboard, queries);
        return queries;
    }

    /** What the queries ask for that the scrape does not have; empty when it has all of it. */
    List<String> discrepancies(List<String> queries) {
        List<String> found = new ArrayList<>();
        for (String query : queries) {
            Matcher selector = SELECTOR.matcher(query);
            List<String> names = new ArrayList<>();
            while (selector.find()) {
                String name = selector.group(1);
                names.add(name);
                if (!scrape.has(name)) {
                    found.add(name + " is not in the scrape (" + query + ")");
                    continue;
                }
                Map<String, String> exact = new LinkedHashMap<>();
                Matcher filter = FILTER.matcher(selector.group(2));
                while (filter.find()) {
                    String label = filter.group(1);
                    String value = filter.group(3);
                    if (SCRAPER_LABELS.contains(label) || faultOnly.containsKey(label + "=" + value)) {
                        continue;
                    }
                    switch (filter.group(2)) {
                        case "=" -> exact.put(label, value);
                        case "=~" -> {
                            if (scrape.samples().stream().noneMatch(s -> s.name().equals(name)
                                    && s.labels().containsKey(label) && s.labels().get(label).matches(value))) {
                                found.add(name + " has no " + label + " matching " + value + " (" + query + ")");
                            }
                        }
                        default -> {
                            if (scrape.samples().stream().noneMatch(s -> s.name().equals(name)
                                    && s.labels().containsKey(label))) {
                                found.add(name + " has no label " + label + " (" + query + ")");
                            }
                        }
                    }
                }
                if (!scrape.has(name, exact)) {
                    found.add(name + " has no sample with " + exact + " (" + query + ")");
                }
            }
            if (names.isEmpty()) {
                found.add("no metric selector in " + query);
            }
            Matcher grouping = GROUPING.matcher(query);
            while (grouping.find()) {
                for (String label : grouping.group(1).split(",")) {
                    String wanted = label.trim();
                    if (wanted.isEmpty() || SCRAPER_LABELS.contains(wanted)) {
                        continue;
                    }
                    for (String name : names) {
                        if (scrape.samples().stream().noneMatch(s -> s.name().equals(name)
                                && s.labels().containsKey(wanted))) {
                            found.add(name + " has no label " + wanted + " to group by (" + query + ")");
                        }
                    }
                }
            }
        }
        return found;
    }

    private static void collect(JsonNode node, List<String> queries) {
        if (node.isObject()) {
            JsonNode expr = node.get("expr");
            if (expr != null && expr.isString()) {
                queries.add(expr.stringValue());
            }
            node.properties().forEach(entry -> collect(entry.getValue(), queries));
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, queries));
        }
    }
}
