package dev.mesh.spec;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

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
}
