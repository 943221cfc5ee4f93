package dev.pawkit.sync.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which module may use which, stated once (in the spirit of Kafka's import-control), over the main
 * classes of every module: the next change cannot quietly cross an edge.
 */
class ModuleEdgesTest {

    private static final String[] LAYERS = {"dev.pawkit.sync.domain..", "dev.pawkit.sync.schemas..",
        "dev.pawkit.sync.infra..", "dev.pawkit.sync.projector..", "dev.pawkit.sync.enricher..",
        "dev.pawkit.sync.analytics..", "dev.pawkit.sync.runtime..", "dev.pawkit.sync.api..", "dev.pawkit.sync.operator..",
        "dev.pawkit.sync.stack..", "dev.pawkit.sync.client..", "dev.pawkit.sync.bench.."};

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.pawkit.sync");
    }

    @Test
    void everyModuleIsOnTheClasspathOfTheseRules() {
        // Rules over classes that were not imported would pass without checking anything.
        for (String layer : LAYERS) {
            String pkg = layer.substring(0, layer.length() - 2);
            assertThat(main.containPackage(pkg)).as("main classes of %s imported", pkg).isTrue();
        }
    }

    /** Topics and stores hold Avro bytes; everything past the serdes speaks domain records. */
    @Test
    void avroStaysInSchemas() {
        noClasses().that().resideOutsideOfPackage("dev.pawkit.sync.schemas..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.pawkit.sync.schemas.avro..", "org.apache.avro..")
                .because("only the serdes in schemas know the wire types")
                .check(main);
    }

    /** Mappers, the Avro serdes, the published schemas: wire matters; others get domain serdes only. */
    @Test
    void outsideSchemasOnlyTheDomainSerdesAreUsed() {
        noClasses().that().resideOutsideOfPackage("dev.pawkit.sync.schemas..")
                .should().dependOnClassesThat(resideInAPackage("dev.pawkit.sync.schemas")
                        .and(DescribedPredicate.not(simpleName("PawkitSerdes")))
                        // The command log's bridge for retries across the fingerprint's change (v5).
                        .and(DescribedPredicate.not(simpleName("LegacyRequestFingerprint"))))
                .because("a mapper's or Avro serde's other side is a generated Avro class")
                .check(main);
    }

    /** A package that is in no layer would be checked by no edge. */
    @Test
    void everyMainClassIsInAModule() {
        classes().that().resideInAPackage("dev.pawkit.sync..")
                .should().resideInAnyPackage(LAYERS)
                .check(main);
    }

    @Test
    void modulesDependOnlyDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("domain").definedBy("dev.pawkit.sync.domain..")
                .layer("schemas").definedBy("dev.pawkit.sync.schemas..")
                .layer("infra").definedBy("dev.pawkit.sync.infra..")
                .layer("projector").definedBy("dev.pawkit.sync.projector..")
                .layer("enricher").definedBy("dev.pawkit.sync.enricher..")
                .layer("analytics").definedBy("dev.pawkit.sync.analytics..")
                .layer("runtime").definedBy("dev.pawkit.sync.runtime..")
                .layer("api").definedBy("dev.pawkit.sync.api..")
                .layer("operator").definedBy("dev.pawkit.sync.operator..")
                .layer("stack").definedBy("dev.pawkit.sync.stack..")
                .layer("client").definedBy("dev.pawkit.sync.client..")
                .layer("bench").definedBy("dev.pawkit.sync.bench..")
                .whereLayer("domain").mayNotAccessAnyLayer()
                .whereLayer("schemas").mayOnlyAccessLayers("domain")
                .whereLayer("infra").mayOnlyAccessLayers("domain", "schemas")
                .whereLayer("projector").mayOnlyAccessLayers("domain", "schemas", "infra")
                .whereLayer("enricher").mayOnlyAccessLayers("domain", "schemas", "infra")
                .whereLayer("analytics").mayOnlyAccessLayers("domain", "schemas", "infra")
                .whereLayer("runtime").mayOnlyAccessLayers("domain", "schemas", "infra", "projector", "enricher", "analytics")
                // The HTTP layer: what it serves comes from the projector's and analytics' reads.
                .whereLayer("api").mayOnlyAccessLayers("domain", "schemas", "infra", "projector", "analytics", "runtime")
                // Every process that reads the log opens it with the users' keys (sealing, schemas): the
                // operator's rebuild and the stack's enricher-only process build their serdes themselves.
                .whereLayer("operator").mayOnlyAccessLayers("schemas", "infra", "projector", "runtime")
                .whereLayer("stack").mayOnlyAccessLayers("schemas", "infra", "enricher", "runtime", "api", "operator")
                // The client is a library for any JVM program: it speaks HTTP, never the server's classes.
                .whereLayer("client").mayNotAccessAnyLayer()
                .whereLayer("bench").mayNotBeAccessedByAnyLayer()
                .check(main);
    }
}
