package io.github.reluspectra.cli;

import io.github.reluspectra.io.AtomicFiles;
import io.github.reluspectra.io.FilePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The files of one tool run, checked against each other before any work: an output never lands on an input
 * or on another output, and an output's directory must exist and be writable.
 */
public final class RunFiles {

    private record Named(String option, Path path) {
        String describe() {
            return option + " " + path;
        }
    }

    private final CommandSpec spec;
    private final List<Named> inputs = new ArrayList<>();
    private final List<Named> outputs = new ArrayList<>();

    private RunFiles(CommandSpec spec) {
        this.spec = spec;
    }

    public static RunFiles of(CommandSpec spec) {
        return new RunFiles(spec);
    }

    /** A file the run reads; null is ignored. */
    public RunFiles input(String option, Path path) {
        if (path != null) {
            inputs.add(new Named(option, path));
        }
        return this;
    }

    /** A file the run writes; null (no such output, or standard output) is ignored. */
    public RunFiles output(String option, Path path) {
        if (path != null) {
            outputs.add(new Named(option, path));
        }
        return this;
    }

    /**
     * Refuses an output that is an input, another output or a directory (usage, exit 2) and an output whose
     * directory is missing or not writable (exit 3); sweeps temporary files that earlier, killed runs left
     * for these outputs.
     */
    public void check() {
        for (int i = 0; i < outputs.size(); i++) {
            Named out = outputs.get(i);
            for (Named in : inputs) {
                if (FilePaths.same(out.path(), in.path())) {
                    throw usage(out.describe() + " is the same file as " + in.describe()
                            + ": the input is never overwritten");
                }
            }
            for (Named other : outputs.subList(0, i)) {
                if (FilePaths.same(out.path(), other.path())) {
                    throw usage(out.describe() + " is the same file as " + other.describe()
                            + ": each output needs its own file");
                }
            }
            if (Files.isDirectory(out.path())) {
                throw usage(out.describe() + " is a directory; give a file name");
            }
            Path dir = out.path().toAbsolutePath().normalize().getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw new InputException("cannot write " + out.describe() + ": no such directory " + dir);
            }
            if (!Files.isWritable(dir)) {
                throw new InputException("cannot write " + out.describe() + ": permission denied for directory " + dir);
            }
            AtomicFiles.sweepStale(out.path());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
