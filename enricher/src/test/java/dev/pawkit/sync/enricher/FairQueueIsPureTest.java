package dev.pawkit.sync.enricher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Which fetch runs next is decided without Kafka, threads or a clock (time is passed in), so
 * {@link FairQueueTest} needs no broker and no waiting; the lock and the clock are
 * {@link BlockingFairQueue}'s.
 */
class FairQueueIsPureTest {

    private final JavaClasses decision = new ClassFileImporter().importClasses(
            Stream.<Class<?>>concat(Stream.of(FairQueue.class), Arrays.stream(FairQueue.class.getDeclaredClasses())).toList());

    @Test
    void theOrderOfFetchesIsDecidedWithoutIo() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "java.net..",
                        "java.util.concurrent..")
                .orShould().dependOnClassesThat().belongToAnyOf(Clock.class, Thread.class)
                .orShould().callMethod(Instant.class, "now")
                .check(decision);
    }
}
