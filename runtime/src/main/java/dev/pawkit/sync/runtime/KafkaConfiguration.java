package dev.pawkit.sync.runtime;

import dev.pawkit.sync.infra.CommandLog;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.infra.TopicProvisioner;
import dev.pawkit.sync.schemas.PawkitSerdes;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Kafka clients of an instance: admin (topics, health) and the command log's producer. */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

    /** How long start-up waits for the cluster to answer before saying it cannot be reached. */
    private static final Duration STARTUP_CHECK = Duration.ofSeconds(60);

    /** How every client of this process reaches the cluster: Spring Boot's spring.kafka.* settings. */
    @Bean
    KafkaClientSettings kafkaClientSettings(KafkaProperties kafkaProperties) {
        return BootKafkaSettings.from(kafkaProperties);
    }

    // Not named kafkaAdmin: that is the name of spring-kafka's own KafkaAdmin bean.
    @Bean(destroyMethod = "close")
    Admin pawkitAdmin(PawkitProperties properties, KafkaClientSettings kafka) throws Exception {
        Admin admin = Admin.create(kafka.admin(Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000)));
        try {
            // Wrong credentials or address stop the start here, with a message that says so.
            BootKafkaSettings.requireReachable(admin, kafka.bootstrapServers(), STARTUP_CHECK);
        } catch (RuntimeException e) {
            admin.close();
            throw e;
        }
        // Topics exist before anything produces or the projector subscribes.
        TopicProvisioner.ensure(admin, PawkitTopics.definitions(properties.kafka().partitions(),
                properties.kafka().replicationFactor()), 60_000);
        return admin;
    }

    @Bean(destroyMethod = "close")
    Producer<String, byte[]> commandProducer(PawkitProperties properties, KafkaClientSettings kafka, Admin topicsReady,
            KafkaMeters meters) {
        long sendTimeout = properties.writes().sendTimeout().toMillis();
        Producer<String, byte[]> producer = new KafkaProducer<>(kafka.producer(Map.of(
                // Idempotent producer: the client's own retries never duplicate an append.
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 1,
                // Bound how long a request can hang on a missing broker: then 503, and the client
                // retries with the same idempotency key.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, sendTimeout,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) sendTimeout,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) sendTimeout + 1)),
                new StringSerializer(), new ByteArraySerializer());
        // Its meters go with it: the binding holds nothing the producer's close must wait for.
        meters.bind(producer, "command-producer");
        return producer;
    }

    @Bean
    CommandLog commandLog(Producer<String, byte[]> commandProducer, PawkitProperties properties, PawkitSerdes serdes) {
        return new CommandLog(commandProducer, properties.kafka().partitions(), serdes);
    }
}
