package io.github.reluspectra.report;

import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.LayerAnalysis;
import io.github.reluspectra.results.ResultSink;
import java.io.IOException;
import java.io.Serial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redraws the PNG charts of {@link SpectraCharts} at every result: per layer the singular values against k (one
 * curve per epoch) and the mean widths over epochs. The first network's charts go into the directory, the N-th
 * network's into {@code network-N/} in it.
 */
public final class ChartsSink implements ResultSink<EpochSpectra> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String dir;
    /** Per network, per layer, what the charts draw of each epoch seen so far (not the analyses themselves). */
    private final Map<Integer, Map<String, List<ChartPoint>>> seen = new HashMap<>();

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
        int network = result.network();
        Map<String, List<ChartPoint>> layers = seen.computeIfAbsent(network, n -> new LinkedHashMap<>());
        for (LayerAnalysis layer : result.layers()) {
            layers.computeIfAbsent(layer.name(), k -> new ArrayList<>()).add(ChartPoint.of(result.epoch(), layer));
        }
        Path target = network == 1 ? Path.of(dir) : Path.of(dir).resolve("network-" + network);
        SpectraCharts.writePoints(layers, target);
    }

    @Override
    public String toString() {
        return "charts in " + dir;
    }
}
