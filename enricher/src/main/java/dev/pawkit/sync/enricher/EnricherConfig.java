package dev.pawkit.sync.enricher;

import dev.pawkit.sync.enricher.fetch.FetchPolicy;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.enricher.fetch.FetchSettings;
import java.time.Duration;

/**
 * One enricher instance's configuration.
 *
 * @param kafka how to reach the cluster (bootstrap, TLS, SASL...)
 * @param groupId the consumer group; instances sharing it split the event partitions
 * @param partitions of the command topic, as the API's gateway counts them: answers go to the owner's partition
 * @param startFrom where a group without committed offsets starts: the whole log (every pending
 *     request gets an answer, at the cost of fetching the already answered ones once more) or its end
 * @param concurrency pages fetched at once
 * @param hostConcurrency pages fetched at once from one host (and port), so a slow site holds at most that many workers
 * @param hostPause how long a host that failed most of its recent fetches is not asked (its pages fail at once)
 * @param maxInFlight requests read but not answered before reading pauses: the bound of what waits in memory
 * @param commitInterval how often finished offsets are committed
 */
public record EnricherConfig(KafkaClientSettings kafka, String groupId, int partitions, StartFrom startFrom,
        int concurrency, int hostConcurrency, Duration hostPause, int maxInFlight, Duration commitInterval,
        FetchPolicy policy, FetchSettings fetch) {

    public enum StartFrom { EARLIEST, LATEST }
}
