package io.github.reluspectra.cli;

import io.github.reluspectra.results.Provenance;
import java.util.Map;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code --version} of every tool: its name and the versions the library was built with, from one place. */
public final class ToolVersion implements IVersionProvider {

    @Spec
    CommandSpec spec;

    @Override
    public String[] getVersion() {
        Provenance built = Provenance.of(null, Map.of());
        return new String[] {spec.qualifiedName() + " " + built.libraryVersion() + " (DL4J " + built.dl4jVersion() + ")"
        };
    }
}
