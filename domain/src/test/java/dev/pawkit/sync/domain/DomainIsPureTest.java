package dev.pawkit.sync.domain;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The decision logic stays plain Java: no framework may creep in, and it never reads the clock. */
class DomainIsPureTest {

    private final JavaClasses domain = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.pawkit.sync.domain");

    @Test
    void domainImportsNoKafkaSpringOrAvro() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", "org.springframework..", "org.apache.avro..")
                .check(domain);
    }

    @Test
    void domainNeverReadsTheClock() {
        noClasses().should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .check(domain);
    }
}
