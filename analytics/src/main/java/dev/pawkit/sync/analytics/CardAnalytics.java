package dev.pawkit.sync.analytics;

import dev.pawkit.sync.schemas.sealing.UserKeys;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the analytics topology: one Kafka Streams client of its own, its stores, and the reads over them. */
public final class CardAnalytics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CardAnalytics.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final AnalyticsConfig config;
    private final KafkaStreams streams;
    private final AnalyticsReads reads;

    /** @param keys the users' keys, which open the events and seal what analytics keeps of each user */
    public CardAnalytics(AnalyticsConfig config, UserKeys keys) {
        this.config = config;
        this.streams = new KafkaStreams(AnalyticsTopology.build(keys), config.streamsProperties());
        this.streams.setUncaughtExceptionHandler(e -> {
            // A thread that failed is replaced; under exactly-once it resumes from the last commit.
            log.error("analytics stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        this.streams.setStateListener((now, before) -> log.info("analytics {} -> {}", before, now));
        this.reads = new AnalyticsReads(streams, new AnalyticsSealing(keys), config.partitions(),
                config.applicationServer());
    }

    public void start() {
        streams.start();
    }

    public AnalyticsConfig config() {
        return config;
    }

    /** The Streams client itself, for its own metrics (threads, tasks, its consumers' lag per partition). */
    public KafkaStreams kafkaStreams() {
        return streams;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    public AnalyticsReads reads() {
        return reads;
    }

    /** The group client ids of this instance's consumers: every other member of the group is another instance. */
    Set<String> consumerClientIds() {
        return streams.metadataForLocalThreads().stream().map(ThreadMetadata::consumerClientId)
                .collect(Collectors.toSet());
    }

    /** Stops for good and leaves the group at once, then deletes this instance's local state. */
    void closeAndCleanUp() {
        close();
        streams.cleanUp();
    }

    /**
     * Stops and leaves the group at once: the other instances take this one's partitions over now,
     * not after its session times out, and a reset finds the group empty.
     */
    @Override
    public void close() {
        streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(CLOSE_TIMEOUT));
    }
}
