package dev.pawkit.sync.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The library stays embeddable anywhere: no Spring, no Kafka, no server code in it; and time comes
 * from the injected clock only, so retry schedules are testable.
 */
class ClientIsPlainJavaTest {

    private final JavaClasses client = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.pawkit.sync.client");

    @Test
    void theLibraryUsesNoSpringKafkaOrServerCode() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "org.apache.kafka..", "dev.pawkit.sync.api..",
                        "dev.pawkit.sync.domain..", "dev.pawkit.sync.schemas..")
                .check(client);
    }

    @Test
    void theLibraryReadsTimeOnlyFromItsClock() {
        noClasses().should().callMethod(Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .check(client);
    }
}
