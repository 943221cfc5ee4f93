package dev.pawkit.sync.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.infra.KafkaClientSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The enricher's Kafka clients carry the operator's {@code spring.kafka.client-id} (quotas and
 * broker logs are keyed by it), followed by the group and the instance, which keep two enrichers
 * of one JVM apart.
 */
class EnricherClientIdTest {

    @Test
    void theConfiguredClientIdComesFirst() {
        KafkaClientSettings kafka = KafkaClientSettings.of(Map.of("bootstrap.servers", "127.0.0.1:9092",
                "client.id", "shop-prod"));

        assertThat(MetadataEnricher.clientId(kafka, "pawkit-enricher", new Object()))
                .startsWith("shop-prod-pawkit-enricher-");
    }

    @Test
    void withoutOneTheGroupNamesTheClients() {
        KafkaClientSettings kafka = KafkaClientSettings.plaintext("127.0.0.1:9092");

        assertThat(MetadataEnricher.clientId(kafka, "pawkit-enricher", new Object())).startsWith("pawkit-enricher-")
                .doesNotStartWith("null");
    }

    @Test
    void twoEnrichersOfOneJvmGetTwoIds() {
        KafkaClientSettings kafka = KafkaClientSettings.of(Map.of("bootstrap.servers", "127.0.0.1:9092",
                "client.id", "shop-prod"));

        assertThat(MetadataEnricher.clientId(kafka, "pawkit-enricher", new Object()))
                .isNotEqualTo(MetadataEnricher.clientId(kafka, "pawkit-enricher", new Object()));
    }
}
