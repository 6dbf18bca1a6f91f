package io.github.reluspectra.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a tool again with {@code OMP_WAIT_POLICY=passive} when the variable is unset. libnd4j's OpenMP threads
 * spin between operations by default and starve OpenBLAS on small machines (the analysis ran 2.5-5x slower on
 * 2 cores); OpenMP reads the variable once, when the native library loads, and Java cannot set a variable for
 * its own process, so a child JVM with the same options, class path and arguments is the only remedy from a
 * plain {@code java -jar}.
 */
public final class ThreadPolicy {

    static final String VARIABLE = "OMP_WAIT_POLICY";
    /** Set in the child, so that it never starts another one (whatever its OpenMP does with the variable). */
    static final String RELAUNCHED = "RELU_SPECTRA_RELAUNCHED";

    private ThreadPolicy() {
    }

    /**
     * Runs {@code main} with {@code args} in a child JVM with the variable set, if it is unset here.
     *
     * @return the child's exit code, or -1 if this JVM should do the work itself (the variable is set, this is
     *         the child, or no child could be started)
     */
    public static int relaunchIfNeeded(Class<?> main, String[] args) {
        if (System.getenv(RELAUNCHED) != null) {
            // The child ends with its parent (a SIGKILL of the parent reaches no hook): its hooks then remove
            // the temporary files, and no orphan goes on to write outputs nobody waits for.
            ProcessHandle.current().parent().ifPresent(parent -> parent.onExit()
                    .thenRun(() -> System.exit(ExitCodes.SOFTWARE)));
            return -1;
        }
        if (System.getenv(VARIABLE) != null) {
            return -1;
        }
        ProcessBuilder builder = new ProcessBuilder(command(main, args)).inheritIO();
        builder.environment().put(VARIABLE, "passive");
        builder.environment().put(RELAUNCHED, "1");
        Process child;
        try {
            child = builder.start();
        } catch (IOException e) {
            return -1;
        }
        // A SIGTERM to this JVM reaches the child too, so that it can remove its temporary files.
        Thread forward = new Thread(child::destroy, "relaunch-forward");
        Runtime.getRuntime().addShutdownHook(forward);
        try {
            return child.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroy();
            return ExitCodes.SOFTWARE;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(forward);
            } catch (IllegalStateException e) {
                // Shutting down already: the hook is running.
            }
        }
    }

    /** {@code java [this JVM's options] -cp [its class path] MAIN ARGS}. */
    static List<String> command(Class<?> main, String[] args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }
}
