package dev.pawkit.sync.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The metrics Kafka's clients already keep (request rates, errors, a consumer's lag per partition,
 * a Streams client's threads and tasks) as Micrometer meters, tagged {@code client} with the role
 * of the client in this process. Kafka adds metrics as partitions are assigned, so they are looked
 * for again every {@link #REFRESH}; one thread does that for every client here instead of one each.
 */
@Component
public class KafkaMeters implements DisposableBean {

    private static final Duration REFRESH = Duration.ofSeconds(10);

    private final MeterRegistry registry;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "pawkit-kafka-meters");
        thread.setDaemon(true);
        return thread;
    });

    KafkaMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Binds a Streams client's metrics until the returned handle is closed (when the client is). */
    public AutoCloseable bind(KafkaStreams streams, String client) {
        KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams, Tags.of("client", client), refresher, REFRESH);
        binder.bindTo(registry);
        return binder;
    }

    public AutoCloseable bind(Producer<?, ?> producer, String client) {
        KafkaClientMetrics binder = new KafkaClientMetrics(producer, Tags.of("client", client), refresher, REFRESH);
        binder.bindTo(registry);
        return binder;
    }

    public AutoCloseable bind(Consumer<?, ?> consumer, String client) {
        KafkaClientMetrics binder = new KafkaClientMetrics(consumer, Tags.of("client", client), refresher, REFRESH);
        binder.bindTo(registry);
        return binder;
    }

    /** Closing a binder removes its meters: a closed client reports nothing rather than its last values. */
    public static void unbind(AutoCloseable binding) {
        try {
            if (binding != null) {
                binding.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void destroy() {
        refresher.shutdownNow();
    }
}
