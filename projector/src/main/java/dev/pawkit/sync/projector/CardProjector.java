package dev.pawkit.sync.projector;

import dev.pawkit.sync.schemas.PawkitSerdes;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the projector topology: one Kafka Streams client, its stores, and the reads over them. */
public final class CardProjector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CardProjector.class);

    private final KafkaStreams streams;
    private final ProjectorReads reads;

    public CardProjector(ProjectorConfig config, PawkitSerdes serdes) {
        this.streams = new KafkaStreams(
                ProjectorTopology.build(serdes, config.idempotencyTtl(), config.purgeInterval()),
                config.streamsProperties());
        this.streams.setUncaughtExceptionHandler(e -> {
            // A thread that failed is replaced; under exactly-once it resumes from the last commit.
            log.error("projector stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        this.streams.setStateListener((now, before) -> log.info("projector {} -> {}", before, now));
        this.reads = new ProjectorReads(streams, config.partitions(), config.applicationServer());
    }

    public void start() {
        streams.start();
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

    public ProjectorReads reads() {
        return reads;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
