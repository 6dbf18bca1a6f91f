package io.github.reluspectra.cli;

import io.github.reluspectra.io.AtomicFiles;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
    /** How long a stopped launcher waits for its child's shutdown hooks (deleting temporary files takes less). */
    private static final int CHILD_CLEANUP_SECONDS = 10;

    private ThreadPolicy() {}

    /**
     * Runs {@code main} with {@code args} in a child JVM with the variable set, if it is unset here.
     *
     * @return the child's exit code, or -1 if this JVM should do the work itself (the variable is set, this is
     *         the child, or no child could be started)
     */
    public static int relaunchIfNeeded(Class<?> main, String[] args) {
        if (System.getenv(RELAUNCHED) != null) {
            // The child ends with its launcher (a SIGKILL of the launcher reaches no hook): its hooks then remove
            // the temporary files, and no orphan goes on to write outputs nobody waits for. Before it publishes,
            // it waits for a sign of life sent after it asked (see LauncherLink).
            LauncherLink link = LauncherLink.listen(System.in, () -> System.exit(ExitCodes.SOFTWARE));
            AtomicFiles.refusePublishingWhen(
                    () -> link.launcherAnswers() ? null : "the launching JVM has ended or stopped answering");
            return -1;
        }
        if (System.getenv(VARIABLE) != null) {
            return -1;
        }
        ProcessBuilder builder =
                new ProcessBuilder(command(main, args)).inheritIO().redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().put(VARIABLE, "passive");
        builder.environment().put(RELAUNCHED, "1");
        Process child;
        try {
            child = builder.start();
        } catch (IOException e) {
            return -1;
        }
        LauncherLink.beat(child);
        // A SIGTERM to this JVM reaches the child too, so that it can remove its temporary files; this JVM ends
        // only after the child, so that whoever stopped it finds nothing left running or being written.
        Thread forward = new Thread(
                () -> {
                    child.destroy();
                    try {
                        child.waitFor(CHILD_CLEANUP_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "relaunch-forward");
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
