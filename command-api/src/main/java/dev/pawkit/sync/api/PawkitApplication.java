package dev.pawkit.sync.api;

import dev.pawkit.sync.runtime.PawkitProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The API process: the HTTP layer of this module with what {@code runtime} runs beside it (the
 * projector whose stores the reads query, and, unless turned off, analytics and the enricher).
 * {@code stack}'s LocalStack adds a broker for local use.
 */
@SpringBootApplication(scanBasePackages = {"dev.pawkit.sync.api", "dev.pawkit.sync.runtime"})
@EnableConfigurationProperties(PawkitProperties.class)
public class PawkitApplication {

    public static void main(String[] args) {
        SpringApplication.run(PawkitApplication.class, args);
    }
}
