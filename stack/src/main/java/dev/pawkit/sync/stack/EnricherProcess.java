package dev.pawkit.sync.stack;

import dev.pawkit.sync.enricher.MetadataEnricher;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.KafkaUserKeys;
import dev.pawkit.sync.runtime.BootKafkaSettings;
import dev.pawkit.sync.runtime.EnricherRunner;
import dev.pawkit.sync.runtime.MasterKeyLoader;
import dev.pawkit.sync.runtime.PawkitProperties;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.sealing.KeyMaterial;
import java.time.Duration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The metadata enricher as a process of its own: no HTTP server, no projector. It reads the event
 * log and appends its answers through the command log like any client, so it scales and fails
 * apart from the API (run as many as there are event partitions; they share one consumer group).
 * Settings are the application's ({@code pawkit.kafka.*}, {@code pawkit.enricher.*}).
 */
@SpringBootConfiguration
@EnableConfigurationProperties({PawkitProperties.class, KafkaProperties.class})
public class EnricherProcess {

    @Bean
    KafkaClientSettings kafkaClientSettings(KafkaProperties kafkaProperties) {
        KafkaClientSettings kafka = BootKafkaSettings.from(kafkaProperties);
        // Wrong credentials stop the start with a message, rather than a consumer that retries forever.
        BootKafkaSettings.requireReachable(kafka, Duration.ofSeconds(60));
        return kafka;
    }

    /** The users' keys: the enricher opens events (the urls) and seals its answers like the API. */
    @Bean(destroyMethod = "close")
    KafkaUserKeys userKeys(PawkitProperties properties, KafkaClientSettings kafka) {
        return new KafkaUserKeys(kafka, new KeyMaterial(MasterKeyLoader.load(properties.encryption(), properties.dataDir())));
    }

    @Bean(destroyMethod = "close")
    MetadataEnricher metadataEnricher(PawkitProperties properties, KafkaClientSettings kafka, KafkaUserKeys keys) {
        return MetadataEnricher.create(EnricherRunner.config(properties, kafka), PawkitSerdes.sealedWith(keys)).start();
    }

    /** Runs until stopped (SIGTERM closes the enricher: answers in flight are fetched again by the next one). */
    public static ConfigurableApplicationContext run(String... args) {
        return new SpringApplicationBuilder(EnricherProcess.class).web(WebApplicationType.NONE).run(args);
    }
}
