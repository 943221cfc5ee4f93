package dev.pawkit.sync.stack;

import dev.pawkit.sync.runtime.PawkitProperties;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * Analytics as a process of its own: the counting Streams application and the HTTP endpoints that
 * read it ({@code /api/stats}, with the same tokens and problem answers as the API), and no
 * projector, card endpoints or enricher. Its reads are interactive queries on its own stores,
 * routed between analytics instances like card reads between API instances; a proxy sends
 * {@code /api/stats} here. API processes then run with {@code pawkit.analytics.enabled=false}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableConfigurationProperties(PawkitProperties.class)
@ComponentScan(basePackages = {"dev.pawkit.sync.api.web", "dev.pawkit.sync.api.analytics", "dev.pawkit.sync.runtime"},
        excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
                pattern = "dev\\.pawkit\\.sync\\.runtime\\.(Projector.*|Enricher.*)"))
public class AnalyticsProcess {

    /** Runs until stopped; {@code --server.port} and {@code pawkit.*} settings as for the API. */
    public static ConfigurableApplicationContext run(String... args) {
        // Readiness here is analytics, not the projector this process does not run (an argument,
        // to outrank application.yml's group; the caller's own arguments still come after it).
        String[] withReadiness = new String[args.length + 1];
        withReadiness[0] = "--management.endpoint.health.group.readiness.include=readinessState,broker,analytics";
        System.arraycopy(args, 0, withReadiness, 1, args.length);
        return new SpringApplicationBuilder(AnalyticsProcess.class).run(withReadiness);
    }
}
