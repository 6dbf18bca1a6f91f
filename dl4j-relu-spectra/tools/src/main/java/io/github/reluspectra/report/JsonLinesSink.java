package io.github.reluspectra.report;

import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.ResultSink;
import java.io.IOException;
import java.io.Serial;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Function;

/**
 * Writes each result as one JSON line ({@link Documents.SpectraLine} or {@link Documents.SeparationLine}) to a
 * file, creating it and its directory. {@link Mode#REPLACE} empties an existing file at the first result this
 * sink writes; {@link Mode#APPEND} adds to it (a run resumed from a checkpoint, several runs in one file).
 */
public final class JsonLinesSink<T> implements ResultSink<T> {

    @Serial
    private static final long serialVersionUID = 1L;

    /** What happens to an existing file. */
    public enum Mode {
        APPEND,
        REPLACE
    }

    private final String file;
    private final Mode mode;
    private final SerializableFunction<T, Object> document;
    private boolean started;

    private JsonLinesSink(Path file, Mode mode, SerializableFunction<T, Object> document) {
        if (file == null || mode == null) {
            throw new IllegalArgumentException("a file and a mode are required");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("JSON lines file " + file + " is a directory; give a file");
        }
        this.file = file.toString();
        this.mode = mode;
        this.document = document;
    }

    /** The spectra listener's lines. */
    public static JsonLinesSink<EpochSpectra> spectra(Path file, Mode mode) {
        return new JsonLinesSink<>(file, mode, Documents.SpectraLine::of);
    }

    /** The separation listener's lines. */
    public static JsonLinesSink<EpochSeparation> separation(Path file, Mode mode) {
        return new JsonLinesSink<>(file, mode, Documents.SeparationLine::of);
    }

    public Path file() {
        return Path.of(file);
    }

    @Override
    public synchronized void accept(T result) throws IOException {
        Path path = Path.of(file);
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        StandardOpenOption onExisting =
                mode == Mode.REPLACE && !started ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
        Files.writeString(
                path,
                Json.line(document.apply(result)) + System.lineSeparator(),
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                onExisting);
        started = true;
    }

    @Override
    public String toString() {
        return "JSON lines " + file + " (" + mode.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    /** A function the sink can be serialised with. */
    @FunctionalInterface
    interface SerializableFunction<T, R> extends Function<T, R>, java.io.Serializable {}
}
