package dev.pawkit.sync.runtime;

import dev.pawkit.sync.enricher.EnricherConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** Everything configurable about one API + projector instance; defaults in application.yml. */
@ConfigurationProperties("pawkit")
public record PawkitProperties(
        Path dataDir,
        Kafka kafka,
        Projector projector,
        Idempotency idempotency,
        Writes writes,
        Jwt jwt,
        @DefaultValue Analytics analytics,
        @DefaultValue Enricher enricher,
        @DefaultValue Streams streams,
        @DefaultValue Encryption encryption) {

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

    /**
     * The analytics Streams application beside the projector (its own application id, thread and stores).
     *
     * @param enabled run it in this instance; reads of /api/stats answer 503 where it does not run
     * @param commitInterval how often counts commit: the floor of the analytics lag
     * @param rocksdbOffHeap block cache and memtables of the analytics stores, apart from the projector's
     */
    public record Analytics(@DefaultValue("true") boolean enabled,
            @DefaultValue("pawkit-analytics") String applicationId,
            @DefaultValue("100ms") Duration commitInterval,
            @DefaultValue("32MB") DataSize rocksdbOffHeap) {
    }

    /**
     * The metadata enricher beside the projector (docs/metadata.md): its own consumer group, fetch pool and producer.
     *
     * @param enabled run it in this instance
     * @param allowList host names, IP addresses or CIDR blocks exempt from the SSRF guard (empty: public addresses only)
     * @param defaultPortsOnly refuse ports other than 80 (http) and 443 (https)
     * @param readTimeout per request, from sending it to having its (bounded) body
     * @param maxBytes body bytes read per page at most; the page is parsed as far as it got
     * @param retries further attempts after a transient failure (timeout, connection error, 5xx, 429)
     * @param retryAfterCap the longest Retry-After waited for; a server asking for more is given up on
     * @param concurrency pages fetched at once
     * @param hostConcurrency pages fetched at once from one host (and port): a slow site holds at most that many workers
     * @param hostPause how long a host that failed most of its recent fetches is not asked (its pages fail at once)
     * @param maxUnanswered requests read and not yet answered before reading pauses: what waits in memory at most
     * @param startFrom where a new group starts reading the event log: earliest or latest
     */
    public record Enricher(@DefaultValue("true") boolean enabled,
            @DefaultValue("pawkit-enricher") String groupId,
            @DefaultValue List<String> allowList,
            @DefaultValue("false") boolean defaultPortsOnly,
            @DefaultValue("5s") Duration connectTimeout,
            @DefaultValue("10s") Duration readTimeout,
            @DefaultValue("2MB") DataSize maxBytes,
            @DefaultValue("3") int retries,
            @DefaultValue("500ms") Duration backoffBase,
            @DefaultValue("10s") Duration backoffMax,
            @DefaultValue("30s") Duration retryAfterCap,
            @DefaultValue("8") int concurrency,
            @DefaultValue("2") int hostConcurrency,
            @DefaultValue("30s") Duration hostPause,
            @DefaultValue("50000") int maxUnanswered,
            @DefaultValue("1s") Duration commitInterval,
            @DefaultValue("earliest") EnricherConfig.StartFrom startFrom) {

        public Enricher {
            allowList = allowList == null ? List.of() : List.copyOf(allowList);
        }
    }

    /**
     * The live change streams ({@code GET /api/cards/changes/stream}) this instance serves.
     *
     * @param perUser open streams one user may hold on this instance; one more is a 429
     * @param perInstance open streams in all; one more is a 503, so clients go to another instance
     * @param heartbeat how often an idle stream gets a comment line, to keep proxies from closing it
     * @param maxLifetime when a stream is ended at the latest (sooner at its token's expiry), so
     *     clients reconnect, re-authenticate and spread over the instances
     * @param threads the pool that reads changes and writes them to the streams
     */
    public record Streams(@DefaultValue("10") int perUser,
            @DefaultValue("10000") int perInstance,
            @DefaultValue("15s") Duration heartbeat,
            @DefaultValue("1h") Duration maxLifetime,
            @DefaultValue("16") int threads) {
    }

    /**
     * Crypto-shredding's master key (docs/erasure.md).
     *
     * @param masterKey the key inline, a Tink JSON keyset (takes precedence over the file)
     * @param masterKeyFile where it is kept; default {@code <data-dir>/master-key.json}
     * @param createMasterKey create the file with a new key when it does not exist (a local stack);
     *     production turns this off so that a missing key stops the start instead of starting afresh
     */
    public record Encryption(String masterKey, Path masterKeyFile, @DefaultValue("true") boolean createMasterKey) {
    }

    /** @param secret HS256 key for local tokens; production uses an issuer's JWK set instead */
    public record Jwt(String secret) {
    }
}
