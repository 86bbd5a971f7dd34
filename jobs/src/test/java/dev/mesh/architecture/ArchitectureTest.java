package dev.mesh.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Where engine-specific code may live, for the platform's main code in every module: Deequ only behind the quality
 * gate's adapter; Scala's types (collections, Option, functions) only in the adapters that must speak them: Deequ's,
 * Spark's listener and session (dev.mesh.runtime.spark) and the walk over Catalyst plans (dev.mesh.runtime.sql).
 */
class ArchitectureTest {
    /** Every module's main classes: folders when Maven runs tests, the modules' jars under mvn verify. */
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // under mvn verify the modules' test-jars are on the classpath too
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.mesh");

    @Test
    void everyModuleIsImported() {
        for (String pkg : java.util.List.of("dev.mesh.spec", "dev.mesh.runtime.run", "dev.mesh.templates",
                "dev.mesh.quality.deequ", "dev.mesh.jobs.cli")) {
            assertThat(MAIN.containPackage(pkg)).as(pkg).isTrue();
        }
    }

    @Test
    void deequStaysInItsAdapter() {
        noClasses().that().resideOutsideOfPackage("dev.mesh.quality.deequ..")
                .should().dependOnClassesThat().resideInAPackage("com.amazon.deequ..")
                .check(MAIN);
    }

    @Test
    void deltaKernelStaysInItsAdapter() {
        // mesh runs, metrics and sla read through it; everything else goes through Spark's Delta
        noClasses().that().resideOutsideOfPackage("dev.mesh.runtime.kernel..")
                .should().dependOnClassesThat().resideInAPackage("io.delta.kernel..")
                .check(MAIN);
    }

    @Test
    void scalaStaysInTheAdaptersThatSpeakIt() {
        noClasses().that().resideOutsideOfPackages("dev.mesh.quality.deequ..", "dev.mesh.runtime.spark..",
                        "dev.mesh.runtime.sql..")
                .should().dependOnClassesThat().resideInAPackage("scala..")
                .check(MAIN);
    }

    /**
     * Spark's internals (Catalyst plans and expressions, physical execution, SQL configuration) are spoken only by the
     * SQL guard and lineage (dev.mesh.runtime.sql) and the session's adapters (dev.mesh.runtime.spark); everything
     * else, templates and commands included, works with the public Dataset API.
     */
    @Test
    void sparkInternalsStayInTheAdaptersThatSpeakThem() {
        noClasses().that().resideOutsideOfPackages("dev.mesh.runtime.sql..", "dev.mesh.runtime.spark..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark.sql.catalyst..",
                        "org.apache.spark.sql.execution..", "org.apache.spark.sql.internal..")
                .check(MAIN);
    }

    @Test
    void packagesDoNotDependOnEachOtherInCycles() {
        com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices().matching("dev.mesh.(**)")
                .should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void templateDescriptorsAreSparkFree() {
        // mesh validate reads every descriptor without starting Spark, wherever the template's module puts it
        noClasses().that().implement(dev.mesh.spec.spi.TemplateDescriptor.class)
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "org.apache.hadoop..",
                        "io.delta..", "scala..", "com.amazon.deequ..", "dev.mesh.runtime..")
                .check(MAIN);
    }

    @Test
    void theSpecModelKnowsNothingOfTheRuntime() {
        noClasses().that().resideInAnyPackage("dev.mesh.spec..", "dev.mesh.error..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.mesh.runtime..", "dev.mesh.quality..",
                        "dev.mesh.templates..", "dev.mesh.jobs..", "org.apache.spark..", "scala..")
                .check(MAIN);
    }

    /**
     * The CLI and spark-submit's main reach the runtime's composition (sessions with credentials, provisioning, the
     * runners) only through its facade, {@link dev.mesh.runtime.Mesh}, which the server will call too.
     */
    @Test
    void theCommandsRunThroughTheFacade() {
        noClasses().that().resideInAPackage("dev.mesh.jobs..")
                .should().dependOnClassesThat().haveFullyQualifiedName(
                        dev.mesh.runtime.run.ProductRunner.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(
                        dev.mesh.runtime.run.MeshRunner.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(
                        dev.mesh.runtime.provision.HadoopZoneProvisioner.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(
                        dev.mesh.runtime.storage.StorageConfigurer.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(
                        dev.mesh.runtime.storage.StorageBackends.class.getName())
                .check(MAIN);
    }

    /**
     * The CLI parses, calls and prints: the queries over platform tables live next to their tables with typed results
     * ({@code SlaStatusTable.latest}, {@code RunsTable.lastPublished}, {@code MeshReport}), reached through the facade,
     * so the server answers the same. Only {@code mesh sql} (the user's query) and {@code mesh suggest} (profiling the
     * user's data) hold rows in a command.
     */
    @Test
    void commandsHoldNoSparkQueries() {
        noClasses().that().resideInAPackage("dev.mesh.jobs.cli")
                .and().doNotHaveSimpleName("SqlCommand").and().doNotHaveSimpleName("SuggestCommand")
                .should().dependOnClassesThat().haveFullyQualifiedName("org.apache.spark.sql.Dataset")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.apache.spark.sql.Row")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.apache.spark.sql.functions")
                .check(MAIN);
    }

    /**
     * Every extension point the modules register services for is an interface of an {@code spi} package (run
     * listeners, which take the run's own results, excepted), so the extension surface is those packages.
     */
    @Test
    void servicesAreRegisteredOnlyForSpiInterfaces() throws IOException {
        List<String> services = new ArrayList<>();
        try (Stream<Path> modules = Files.list(Path.of("..").toAbsolutePath().normalize())) {
            for (Path module : modules.toList()) {
                Path folder = module.resolve("src/main/resources/META-INF/services");
                if (Files.isDirectory(folder)) {
                    try (Stream<Path> files = Files.list(folder)) {
                        files.forEach(file -> services.add(file.getFileName().toString()));
                    }
                }
            }
        }
        assertThat(services).isNotEmpty().allSatisfy(service -> assertThat(service).matches(
                "dev\\.mesh\\.(spec|runtime)\\.spi\\.[A-Z]\\w+|dev\\.mesh\\.runtime\\.run\\.RunListener"));
    }
}
