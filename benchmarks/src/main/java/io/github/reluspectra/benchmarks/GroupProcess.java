package io.github.reluspectra.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One benchmark group run in a JVM of its own, with this JVM's Java, options and class path, its output shown as
 * it comes; its figures come back as {@link Result#row()}s through a temporary file.
 */
final class GroupProcess {

    /** The groups of a whole run, in their order; B7 runs inside B1, whose matrices it shares. */
    static final List<Benchmarks.Group> WHOLE_RUN = List.of(
            Benchmarks.Group.B1,
            Benchmarks.Group.B5,
            Benchmarks.Group.B11,
            Benchmarks.Group.B6,
            Benchmarks.Group.B8,
            Benchmarks.Group.B9,
            Benchmarks.Group.B10);

    private GroupProcess() {}

    /** @throws IllegalStateException if the group's JVM exits with an error: no figure of a failed group is kept */
    static List<Result> run(Benchmarks.Group group, boolean quick) throws IOException, InterruptedException {
        Path rows = Files.createTempFile("benchmarks-" + group, ".tsv");
        try {
            List<String> command = new ArrayList<>();
            command.add(javaCommand());
            command.addAll(jvmOptions());
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(Benchmarks.class.getName());
            command.add("--only");
            command.add(group.name());
            if (quick) {
                command.add("--quick");
            }
            command.addAll(List.of("--rows", rows.toString()));
            int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException(
                        "benchmark group " + group + " failed in its own JVM (exit " + exit + "); no table written");
            }
            return Files.readAllLines(rows, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank())
                    .map(Result::ofRow)
                    .toList();
        } finally {
            Files.deleteIfExists(rows);
        }
    }

    private static String javaCommand() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * This JVM's options (heap, system properties), without agents and recordings: a second debugger on the same
     * port or a second recording to the same file would fail or overwrite this JVM's.
     */
    private static List<String> jvmOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(o -> !o.startsWith("-agentlib")
                        && !o.startsWith("-javaagent")
                        && !o.startsWith("-XX:StartFlightRecording"))
                .toList();
    }
}
