package dev.pawkit.sync.infra;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How this system's Kafka clients reach the cluster: bootstrap servers, security protocol, TLS,
 * SASL, client id and any other client setting, one map per kind of client (admin, producer,
 * consumer, Kafka Streams). Every client the system creates starts from the map of its kind and
 * adds only what is its own (serializers, idempotence, isolation level, group id...); those own
 * settings win, as the code depends on them.
 *
 * <p>Plain Java on purpose: the pure modules take it without Spring. The applications fill it from
 * Spring Boot's {@code spring.kafka.*} settings (runtime's {@code BootKafkaSettings}).
 */
public final class KafkaClientSettings {

    private final Map<String, Object> admin;
    private final Map<String, Object> producer;
    private final Map<String, Object> consumer;
    private final Map<String, Object> streams;

    public KafkaClientSettings(Map<String, Object> admin, Map<String, Object> producer, Map<String, Object> consumer,
            Map<String, Object> streams) {
        this.admin = Map.copyOf(admin);
        this.producer = Map.copyOf(producer);
        this.consumer = Map.copyOf(consumer);
        this.streams = Map.copyOf(streams);
        if (!this.admin.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("no bootstrap servers in the Kafka client settings");
        }
    }

    /** The same settings for every kind of client. */
    public static KafkaClientSettings of(Map<String, Object> common) {
        return new KafkaClientSettings(common, common, common, common);
    }

    /** A plaintext cluster without authentication at {@code bootstrapServers} (tests, the local stack). */
    public static KafkaClientSettings plaintext(String bootstrapServers) {
        return of(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Host:port list, comma-separated, for messages and logs. */
    public String bootstrapServers() {
        Object servers = admin.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        return servers instanceof Collection<?> list
                ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(servers);
    }

    public Map<String, Object> admin(Map<String, Object> own) {
        return merged(admin, own);
    }

    public Map<String, Object> producer(Map<String, Object> own) {
        return merged(producer, own);
    }

    public Map<String, Object> consumer(Map<String, Object> own) {
        return merged(consumer, own);
    }

    /** As {@link Properties}, the form {@code KafkaStreams} takes. */
    public Properties streams(Map<String, Object> own) {
        Properties props = new Properties();
        props.putAll(merged(streams, own));
        return props;
    }

    private static Map<String, Object> merged(Map<String, Object> settings, Map<String, Object> own) {
        Map<String, Object> merged = new HashMap<>(settings);
        merged.putAll(own);
        return merged;
    }

    @Override
    public String toString() {
        // Never the map itself: it may hold passwords (sasl.jaas.config, ssl.*.password).
        return "KafkaClientSettings[" + bootstrapServers() + "]";
    }
}
