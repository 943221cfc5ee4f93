package dev.pawkit.sync.api;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** Everything configurable about one API + projector instance; defaults in application.yml. */
@ConfigurationProperties("pawkit")
public record PawkitProperties(
        Path dataDir,
        Kafka kafka,
        Projector projector,
        Idempotency idempotency,
        Writes writes,
        Jwt jwt) {

    public record Kafka(String bootstrapServers, int partitions, short replicationFactor, int standbyReplicas) {
    }

    /**
     * @param advertisedHost the host peers use to reach this instance for routed reads; defaults
     *     to the server address
     */
    public record Projector(String applicationId, Duration commitInterval, DataSize rocksdbOffHeap,
            String advertisedHost) {
    }

    public record Idempotency(Duration ttl, Duration purgeInterval) {
    }

    /**
     * @param outcomeWait how long a write waits for the projector's decision before answering 202
     * @param sendTimeout how long an append may take before the broker counts as unreachable (503)
     */
    public record Writes(Duration outcomeWait, Duration sendTimeout) {
    }

    /** @param secret HS256 key for local tokens; production uses an issuer's JWK set instead */
    public record Jwt(String secret) {
    }
}
