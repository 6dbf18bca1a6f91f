package io.github.reluspectra.demo;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** No package of the project (libraries, tools, demo: all on this module's classpath) is in a cycle. */
class ArchitectureTest {

    @Test
    void noPackageCyclesAnywhere() {
        slices().matching("io.github.reluspectra.(**)")
                .should()
                .beFreeOfCycles()
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.github.reluspectra"));
    }
}
