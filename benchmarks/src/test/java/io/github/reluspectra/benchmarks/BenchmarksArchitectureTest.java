package io.github.reluspectra.benchmarks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The harness measures the libraries through their public API: its classes live in its own package (no class
 * slipped into a library's package to reach what is package-private, no frozen copy of library code), and the
 * project's packages, the harness's included, have no cycles.
 */
class BenchmarksArchitectureTest {

    private static final JavaClasses HARNESS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(Path.of("target", "classes"));

    private static final JavaClasses PROJECT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.reluspectra");

    @Test
    void theHarnessLivesInItsOwnPackage() {
        classes().should().resideInAPackage("io.github.reluspectra.benchmarks").check(HARNESS);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.github.reluspectra.(**)")
                .should()
                .beFreeOfCycles()
                .check(PROJECT);
    }
}
