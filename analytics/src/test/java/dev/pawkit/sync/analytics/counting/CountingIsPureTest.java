package dev.pawkit.sync.analytics.counting;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** What the counters do is decided in plain Java: no Kafka, Spring or Avro, and no clock. */
class CountingIsPureTest {

    private final JavaClasses counting = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.pawkit.sync.analytics.counting");

    @Test
    void countingImportsNoKafkaSpringOrAvro() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", "org.springframework..", "org.apache.avro..",
                        "dev.pawkit.sync.schemas..")
                .check(counting);
    }

    @Test
    void countingNeverReadsTheClock() {
        noClasses().should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.LocalDate.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .check(counting);
    }
}
