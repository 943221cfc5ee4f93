package dev.pawkit.sync.runtime;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * UP while the metadata enricher's poll loop runs; DOWN when it should run and does not (not
 * started yet, or stopped on an error). UNKNOWN where it is turned off, which leaves the overall
 * status as it is. Not in the readiness group: cards are served without it.
 */
@Component("enricher")
class EnricherHealthIndicator implements HealthIndicator {

    private final EnricherRunner enricher;

    EnricherHealthIndicator(EnricherRunner enricher) {
        this.enricher = enricher;
    }

    @Override
    public Health health() {
        if (!enricher.enabled()) {
            return Health.unknown().withDetail("enabled", false).build();
        }
        return (enricher.isRunning() ? Health.up() : Health.down())
                .withDetail("fetched", enricher.fetchedCount())
                .withDetail("failed", enricher.failedCount())
                .build();
    }
}
