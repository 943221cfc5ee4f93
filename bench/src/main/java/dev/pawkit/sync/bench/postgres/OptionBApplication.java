package dev.pawkit.sync.bench.postgres;

import java.time.Clock;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Option B: the service a team would build instead of Pawkit, for the benchmark to drive side by
 * side with it. Pawkit's HTTP contract for card writes and reads on Spring MVC, JDBC (HikariCP)
 * and PostgreSQL: a command is one transaction (idempotency key row, card row, stored answer)
 * and is acknowledged once committed; concurrency is the row lock and the version check.
 *
 * <p>Start it with {@code --server.port=...} and {@code --spring.datasource.url=...} (a
 * {@link PostgresServer}'s {@link PostgresServer#jdbcUrl()}); the pool is
 * {@code --spring.datasource.hikari.maximum-pool-size} (10).
 */
@SpringBootApplication(exclude = {
        // The tables are created by CardStore and IdempotencyKeys, not by schema.sql scripts.
        DataSourceInitializationAutoConfiguration.class,
        // Users are the tokens' subjects: no in-memory user with a generated password.
        UserDetailsServiceAutoConfiguration.class})
@EnableScheduling
public class OptionBApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(OptionBApplication.class);
        application.setDefaultProperties(Map.of(
                "server.address", "127.0.0.1",
                "spring.main.banner-mode", "off",
                "spring.datasource.username", PostgresServer.USER,
                // About 2 x cores plus a few (HikariCP's advice); more only queues in PostgreSQL.
                "spring.datasource.hikari.maximum-pool-size", "10",
                "spring.mvc.problemdetails.enabled", "true"));
        application.run(args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
