package io.github.reluspectra.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs appear whole or not at all, never replace what they must not, and leave no temporary files. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesWholeFilesAndCleansUpAFailedWriter() throws Exception {
        Path target = dir.resolve("out.json");
        AtomicFiles.writeString(target, "one");
        AtomicFiles.writeString(target, "two");
        assertThat(Files.readString(target)).isEqualTo("two");
        assertThatThrownBy(() -> AtomicFiles.write(target, tmp -> {
                    Files.writeString(tmp, "half");
                    throw new IOException("disk full");
                }))
                .hasMessage("cannot write " + target + ": disk full");
        assertThat(Files.readString(target)).isEqualTo("two");
        assertThat(names()).containsExactly("out.json");
    }

    @Test
    void namesTheTargetAndTheReasonNotTheTemporaryFile() {
        Path target = dir.resolve("missing").resolve("out.json");
        assertThatThrownBy(() -> AtomicFiles.writeString(target, "x"))
                .hasMessage("cannot write " + target + ": no such file or directory");
    }

    @Test
    void withoutReplaceAnExistingTargetIsKept() throws Exception {
        Path target = dir.resolve("model.zip");
        try (AtomicFiles.Staged first = AtomicFiles.stage(target, tmp -> Files.writeString(tmp, "first"));
                AtomicFiles.Staged second = AtomicFiles.stage(target, tmp -> Files.writeString(tmp, "second"))) {
            first.publish(false);
            assertThatThrownBy(() -> second.publish(false))
                    .isInstanceOf(FileAlreadyExistsException.class)
                    .hasMessageContaining(target.toString());
        }
        assertThat(Files.readString(target)).isEqualTo("first");
        assertThat(names()).containsExactly("model.zip");
    }

    @Test
    void retractRemovesAPublishedOutput() throws Exception {
        Path target = dir.resolve("model.zip");
        try (AtomicFiles.Staged staged = AtomicFiles.stage(target, tmp -> Files.writeString(tmp, "x"))) {
            staged.publish(true);
            staged.retract();
        }
        assertThat(names()).isEmpty();
    }

    /** While the refusal holds (the launcher has gone), nothing is published and nothing staged is left. */
    @Test
    void aRefusalPublishesNothing() throws Exception {
        Path first = dir.resolve("model.zip");
        Path second = dir.resolve("report.json");
        try (AtomicFiles.Staged a = AtomicFiles.stage(first, tmp -> Files.writeString(tmp, "model"));
                AtomicFiles.Staged b = AtomicFiles.stage(second, tmp -> Files.writeString(tmp, "report"))) {
            AtomicFiles.refusePublishingWhen(() -> "the launching JVM (pid 1) has ended");
            assertThatThrownBy(() -> AtomicFiles.publishing(() -> {
                        a.publish(true);
                        b.publish(true);
                    }))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessage("nothing published: the launching JVM (pid 1) has ended");
            assertThatThrownBy(() -> a.publish(true)).hasMessageContaining("nothing published");
        } finally {
            AtomicFiles.refusePublishingWhen(() -> null);
        }
        assertThat(names()).isEmpty();
        AtomicFiles.writeString(first, "later");
        assertThat(names()).containsExactly("model.zip");
    }

    @Test
    void sweepsTheTemporaryFilesOfDeadProcessesOnly() throws Exception {
        long live = ProcessHandle.current().parent().orElseThrow().pid();
        Path dead = Files.createFile(dir.resolve(".out.zip." + Long.MAX_VALUE + ".0123456789abcdef.tmp"));
        Path running = Files.createFile(dir.resolve(".out.zip." + live + ".0123456789abcdef.tmp"));
        Path other = Files.createFile(dir.resolve(".other.zip." + Long.MAX_VALUE + ".0123456789abcdef.tmp"));
        Path unknown = Files.createFile(dir.resolve(".out.zip.3a6a9b82-1441-43d9-a513-6747495f6aa3.tmp"));
        assertThat(AtomicFiles.sweepStale(dir.resolve("out.zip"))).isEqualTo(1);
        assertThat(dead).doesNotExist();
        assertThat(running).exists();
        assertThat(other).exists();
        assertThat(unknown).as("not of this naming: left alone").exists();
    }

    /** A process stopped by SIGTERM (or Ctrl-C) while its output is in flight removes the temporary file. */
    @Test
    void terminatedProcessLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("out.bin");
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        StagedForever.class.getName(),
                        target.toString())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("staged");
            assertThat(names()).hasSize(1).allMatch(n -> n.startsWith(".out.bin.") && n.endsWith(".tmp"));
            child.destroy(); // SIGTERM
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(names()).isEmpty();
    }

    /** Stages an output, says so, and waits to be terminated. */
    public static final class StagedForever {
        public static void main(String[] args) throws Exception {
            AtomicFiles.stage(Path.of(args[0]), tmp -> Files.writeString(tmp, "in flight"));
            System.out.println("staged");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
