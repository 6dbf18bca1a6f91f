package io.github.reluspectra.report;

import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.ResultSink;
import java.io.IOException;
import java.io.Serial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Redraws the PNG charts of {@link SpectraCharts} at every result: per layer the singular values against k (one
 * curve per epoch) and the mean widths over epochs. The first network's charts go into the directory, the N-th
 * network's into {@code network-N/} in it.
 */
public final class ChartsSink implements ResultSink<EpochSpectra> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String dir;
    /** The results seen so far: the charts draw a layer's history. */
    private final List<EpochSpectra> seen = new ArrayList<>();

    public ChartsSink(Path dir) {
        if (dir == null) {
            throw new IllegalArgumentException("a charts directory is required");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("charts " + dir + " is a file; give a directory");
        }
        this.dir = dir.toString();
    }

    public Path dir() {
        return Path.of(dir);
    }

    @Override
    public synchronized void accept(EpochSpectra result) throws IOException {
        seen.add(result);
        int network = result.network();
        Path target = network == 1 ? Path.of(dir) : Path.of(dir).resolve("network-" + network);
        SpectraCharts.write(seen.stream().filter(e -> e.network() == network).toList(), target);
    }

    @Override
    public String toString() {
        return "charts in " + dir;
    }
}
