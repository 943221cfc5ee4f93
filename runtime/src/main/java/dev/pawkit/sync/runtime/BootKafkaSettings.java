package dev.pawkit.sync.runtime;

import dev.pawkit.sync.infra.KafkaClientSettings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.Environment;

/**
 * The one source of the Kafka clients' connection settings: Spring Boot's own {@code spring.kafka.*}
 * (bootstrap servers, client id, {@code security.protocol}, {@code ssl.*}, {@code properties.*} such as
 * {@code sasl.mechanism} and {@code sasl.jaas.config}, and the per-kind {@code admin.*}, {@code producer.*},
 * {@code consumer.*}, {@code streams.*}). Every client of the system starts from them: the application's
 * and the operator commands' alike.
 */
public final class BootKafkaSettings {

    private BootKafkaSettings() {
    }

    /** The settings Spring Boot bound from {@code spring.kafka.*}. */
    public static KafkaClientSettings from(KafkaProperties properties) {
        return new KafkaClientSettings(properties.buildAdminProperties(), properties.buildProducerProperties(),
                properties.buildConsumerProperties(), properties.buildStreamsProperties());
    }

    /**
     * The same settings for code that runs without an application context (the operator commands):
     * bound from {@code environment} as Spring Boot would, so the same {@code --spring.kafka.*} arguments
     * and {@code SPRING_KAFKA_*} variables apply.
     */
    public static KafkaClientSettings from(Environment environment) {
        KafkaProperties properties = Binder.get(environment)
                .bind("spring.kafka", Bindable.of(KafkaProperties.class)).orElseGet(KafkaProperties::new);
        return from(properties);
    }

    /**
     * Fails with a message that says why when the cluster cannot be reached or refuses the
     * credentials. Without it a wrong password shows as clients that retry, log, and never get
     * anywhere; with it the process stops at start-up, saying what to fix.
     */
    public static void requireReachable(KafkaClientSettings kafka, Duration timeout) {
        try (Admin admin = Admin.create(kafka.admin(Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis())))) {
            requireReachable(admin, kafka.bootstrapServers(), timeout);
        }
    }

    /** The same check on an admin client the caller keeps (the API's own, so start-up connects once). */
    public static void requireReachable(Admin admin, String bootstrap, Duration timeout) {
        try {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AuthenticationException) {
                throw new KafkaUnreachableException("Kafka refused the credentials for " + bootstrap + ": "
                        + cause.getMessage() + " (check spring.kafka.security.protocol, sasl.mechanism and "
                        + "sasl.jaas.config or spring.kafka.ssl.*)", cause);
            }
            if (cause instanceof AuthorizationException) {
                throw new KafkaUnreachableException("Kafka at " + bootstrap + " denied this client: "
                        + cause.getMessage(), cause);
            }
            throw new KafkaUnreachableException("Kafka at " + bootstrap + " could not be reached: " + cause, cause);
        } catch (TimeoutException e) {
            throw new KafkaUnreachableException("Kafka at " + bootstrap + " did not answer within " + timeout
                    + " (wrong address, or a TLS listener reached without spring.kafka.security.protocol?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnreachableException("interrupted while reaching Kafka at " + bootstrap, e);
        }
    }

    /** The cluster in the settings cannot be used: the message says why. */
    public static final class KafkaUnreachableException extends IllegalStateException {

        KafkaUnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
