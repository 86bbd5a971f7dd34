package dev.mesh.spec;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The spec model needs no engine: validating a mesh never loads Spark, Delta, Hadoop or Scala (the module's
 * classpath does not have them; this keeps the code from reaching for them through reflection or a stray import).
 */
class SpecArchitectureTest {
    private static final JavaClasses SPEC = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.mesh.spec", "dev.mesh.error");

    @Test
    void theSpecModelDependsOnlyOnTheJdkAndJackson() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.fasterxml.jackson..",
                "dev.mesh.spec..", "dev.mesh.error..").check(SPEC);
    }

    /** The model is what everything reads: it reads nothing else of the module. */
    @Test
    void theModelStandsAlone() {
        classes().that().resideInAPackage("dev.mesh.spec.model").should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "dev.mesh.spec.model..", "dev.mesh.error..").check(SPEC);
    }

    /**
     * An extension sees the model and the SPI, never the YAML binding or the policy engine, so neither can change
     * under a template; and the model and the binding never reach into contracts (ODCS is an export, not the model).
     */
    @Test
    void theSpiSeesOnlyTheModel() {
        noClasses().that().resideInAPackage("dev.mesh.spec.spi")
                .should().dependOnClassesThat().resideInAnyPackage("dev.mesh.spec.yaml..", "dev.mesh.spec.policy..",
                        "dev.mesh.spec.contract..", "dev.mesh.spec.builtin..")
                .check(SPEC);
    }
}
