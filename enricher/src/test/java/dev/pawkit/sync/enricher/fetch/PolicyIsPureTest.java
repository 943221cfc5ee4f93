package dev.pawkit.sync.enricher.fetch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The rules of fetching stay pure: no HTTP, no DNS, no Kafka, no clock, no sleeping, so their
 * tests need no network and no waiting. I/O is PageFetcher's (HTTP, DNS through a seam);
 * MetadataFetcher asks it through {@link PageSource} and never sleeps (the enricher schedules retries).
 */
class PolicyIsPureTest {

    private final JavaClasses rules = new ClassFileImporter().importClasses(Cidr.class, NonPublicAddresses.class,
            FetchPolicy.class, RedirectRule.class, RedirectRule.Next.class, Backoff.class, RetryAfter.class,
            PageExtractor.class, MetadataFetcher.class);

    @Test
    void theRulesDoNoIo() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.net.http..", "org.apache.kafka..",
                        "java.nio.channels..")
                .orShould().dependOnClassesThat().belongToAnyOf(java.net.Socket.class, java.net.URL.class,
                        HostResolver.class, Clock.class)
                .orShould().callMethod(InetAddress.class, "getAllByName", String.class)
                .orShould().callMethod(Instant.class, "now")
                .orShould().callMethod(Thread.class, "sleep", long.class)
                .check(rules);
    }
}
