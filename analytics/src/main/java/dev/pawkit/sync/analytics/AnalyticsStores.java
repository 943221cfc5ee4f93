package dev.pawkit.sync.analytics;

import java.util.List;

/**
 * Names of the analytics application's stores and internal topic, and the topics Kafka Streams
 * derives from them under an application id (what a reset drops).
 */
public final class AnalyticsStores {

    /** (user, card id) → CardFacts of each card not deleted, sealed: what an update or delete takes back. */
    public static final String CARD_FACTS = "analytics-card-facts";
    /** user → the user's counters (days, domains, tags), sealed as one value; in the user's partition. */
    public static final String USER_STATS = "analytics-user-stats";
    /** counter → count over every user (days, domains) and the domain ranking; in the single global partition. */
    public static final String GLOBAL_STATS = "analytics-global-stats";
    /** Every partition's global moves (days, domains), repartitioned into one partition for the global counters. */
    public static final String GLOBAL_DELTAS = "analytics-global-deltas";

    private AnalyticsStores() {
    }

    public static String repartitionTopic(String applicationId) {
        return applicationId + "-" + GLOBAL_DELTAS + "-repartition";
    }

    /** Every topic Kafka Streams creates for the analytics application {@code applicationId}. */
    public static List<String> internalTopics(String applicationId) {
        return List.of(changelog(applicationId, CARD_FACTS), changelog(applicationId, USER_STATS),
                changelog(applicationId, GLOBAL_STATS), repartitionTopic(applicationId));
    }

    private static String changelog(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }
}
