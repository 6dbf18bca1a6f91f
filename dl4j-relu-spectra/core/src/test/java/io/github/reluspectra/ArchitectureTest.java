package io.github.reluspectra;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The library's packages form no cycle, and it touches no JSON library and no tool's dependency. */
class ArchitectureTest {

    private static final JavaClasses LIBRARY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.reluspectra");

    @Test
    void noPackageCycles() {
        slices().matching("io.github.reluspectra.(**)")
                .should()
                .beFreeOfCycles()
                .check(LIBRARY);
    }

    @Test
    void resultsDependOnNoOtherPartOfTheLibraryButTheSpectra() {
        noClasses()
                .that()
                .resideInAPackage("..results..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("..listeners..", "..network..", "..measures..", "..layers..")
                .check(LIBRARY);
    }

    @Test
    void noJsonLibraryNoToolDependency() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.nd4j.shade.jackson..",
                        "com.fasterxml.jackson..",
                        "picocli..",
                        "org.knowm.xchart..",
                        "ch.qos.logback..")
                .check(LIBRARY);
    }
}
