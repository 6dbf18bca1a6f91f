package io.github.reluspectra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A tool started without OMP_WAIT_POLICY runs again in a child JVM with it, passing arguments and exit code. */
class ThreadPolicyTest {

    @Test
    void relaunchesWithThePassivePolicy() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        PrintsPolicy.class.getName(),
                        "a b",
                        "7")
                .redirectErrorStream(true);
        builder.environment().remove(ThreadPolicy.VARIABLE);
        builder.environment().remove(ThreadPolicy.RELAUNCHED);
        Process parent = builder.start();
        assertThat(parent.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(parent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out.strip()).isEqualTo("policy=passive args=[a b, 7]"); // printed once: by the child only
        assertThat(parent.exitValue()).isEqualTo(7);
    }

    @Test
    void runsInProcessWhenThePolicyIsSet() {
        // Surefire sets OMP_WAIT_POLICY for the tests (pom.xml).
        assertThat(System.getenv(ThreadPolicy.VARIABLE)).isNotNull();
        assertThat(ThreadPolicy.relaunchIfNeeded(PrintsPolicy.class, new String[0]))
                .isEqualTo(-1);
    }

    /** Relaunches if needed, then prints its policy and arguments and exits with its last argument. */
    public static final class PrintsPolicy {
        public static void main(String[] args) {
            int relaunched = ThreadPolicy.relaunchIfNeeded(PrintsPolicy.class, args);
            if (relaunched >= 0) {
                System.exit(relaunched);
            }
            System.out.println("policy=" + System.getenv(ThreadPolicy.VARIABLE) + " args=" + java.util.List.of(args));
            System.exit(Integer.parseInt(args[args.length - 1]));
        }
    }
}
