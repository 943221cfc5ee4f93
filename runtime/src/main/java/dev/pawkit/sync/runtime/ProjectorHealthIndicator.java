package dev.pawkit.sync.runtime;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** UP only while the projector's Kafka Streams client is RUNNING (not starting, rebalancing or failed). */
@Component("projector")
class ProjectorHealthIndicator implements HealthIndicator {

    private final ProjectorRunner projector;

    ProjectorHealthIndicator(ProjectorRunner projector) {
        this.projector = projector;
    }

    @Override
    public Health health() {
        return (projector.isRunning() ? Health.up() : Health.down()).withDetail("state", projector.state()).build();
    }
}
