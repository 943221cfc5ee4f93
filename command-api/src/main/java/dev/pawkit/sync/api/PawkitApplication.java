package dev.pawkit.sync.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The HTTP API with its projector, in one process. {@link LocalStack} adds a broker for local use. */
@SpringBootApplication
@EnableConfigurationProperties(PawkitProperties.class)
public class PawkitApplication {

    public static void main(String[] args) {
        SpringApplication.run(PawkitApplication.class, args);
    }
}
