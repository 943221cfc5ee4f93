package dev.pawkit.sync.runtime;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * UP while analytics' Kafka Streams client is RUNNING; DOWN while it starts, rebalances, is being
 * reset or failed. UNKNOWN where it is turned off. Not in the readiness group: cards are served
 * without it, and its own reads answer 503 while it cannot.
 */
@Component("analytics")
class AnalyticsHealthIndicator implements HealthIndicator {

    private final AnalyticsRunner analytics;

    AnalyticsHealthIndicator(AnalyticsRunner analytics) {
        this.analytics = analytics;
    }

    @Override
    public Health health() {
        if (!analytics.enabled()) {
            return Health.unknown().withDetail("enabled", false).build();
        }
        return (analytics.isRunning() ? Health.up() : Health.down()).withDetail("state", analytics.state()).build();
    }
}
