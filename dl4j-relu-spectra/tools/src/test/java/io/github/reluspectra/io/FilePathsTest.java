package io.github.reluspectra.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One file under many names is recognised: relative forms, {@code ..}, symbolic and hard links. */
class FilePathsTest {

    @TempDir
    Path dir;

    @Test
    void sameFileWhateverTheName() throws Exception {
        Path in = Files.writeString(dir.resolve("in.zip"), "model");
        Files.createDirectories(dir.resolve("sub"));
        assertThat(FilePaths.same(dir.resolve("sub/../in.zip"), in)).isTrue();
        assertThat(FilePaths.same(Files.createSymbolicLink(dir.resolve("link.json"), in), in))
                .isTrue();
        assertThat(FilePaths.same(Files.createLink(dir.resolve("hard.json"), in), in))
                .isTrue();
        assertThat(FilePaths.same(dir.resolve("sub/../new.json"), dir.resolve("new.json")))
                .isTrue();
        assertThat(FilePaths.same(dir.resolve("new.json"), in)).isFalse();
        assertThat(FilePaths.same(dir.resolve("none/x"), dir.resolve("none/y"))).isFalse();
    }
}
