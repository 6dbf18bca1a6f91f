package io.github.reluspectra.report;

import io.github.reluspectra.io.AtomicFiles;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.LayerAnalysis;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of a spectra history: per layer, {@code LAYER-spectrum.png} (classical and ReLU singular values
 * against k, one curve per epoch), {@code LAYER-widths.png} (mean widths over epochs), {@code LAYER-alpha.png}
 * (WeightWatcher's alpha over epochs) and, with data, {@code LAYER-values-over-data.png}.
 */
public final class SpectraCharts {

    /** At most this many epochs are drawn in a spectrum chart, evenly spaced, the last one always. */
    private static final int EPOCH_CURVES = 6;

    private SpectraCharts() {}

    /** Writes the charts of every layer into {@code dir} (created if needed); returns the files written. */
    public static List<Path> write(List<EpochSpectra> history, Path dir) throws IOException {
        Map<String, List<ChartPoint>> byLayer = new LinkedHashMap<>();
        for (EpochSpectra epoch : history) {
            for (LayerAnalysis layer : epoch.layers()) {
                byLayer.computeIfAbsent(layer.name(), k -> new ArrayList<>()).add(ChartPoint.of(epoch.epoch(), layer));
            }
        }
        return writePoints(byLayer, dir);
    }

    /** As {@link #write(List, Path)}, from what the charts draw of each layer, epoch by epoch. */
    public static List<Path> writePoints(Map<String, List<ChartPoint>> byLayer, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (var entry : byLayer.entrySet()) {
            String file = entry.getKey().replaceAll("[^A-Za-z0-9._-]", "_");
            written.add(savePng(spectrum(entry.getKey(), entry.getValue()), dir.resolve(file + "-spectrum.png")));
            written.add(savePng(widths(entry.getKey(), entry.getValue()), dir.resolve(file + "-widths.png")));
            if (entry.getValue().stream().anyMatch(p -> !Double.isNaN(p.alpha()))) {
                written.add(savePng(alpha(entry.getKey(), entry.getValue()), dir.resolve(file + "-alpha.png")));
            }
            List<ChartPoint> withData =
                    entry.getValue().stream().filter(ChartPoint::hasOverData).toList();
            if (!withData.isEmpty()) {
                written.add(
                        savePng(valuesOverData(entry.getKey(), withData), dir.resolve(file + "-values-over-data.png")));
            }
        }
        return written;
    }

    static XYChart spectrum(String layer, List<ChartPoint> points) {
        XYChart chart =
                ChartStyle.chart("Layer " + layer + ": singular values (dashed: sigma_k(A), solid: s_k)", "k", "value");
        int group = 0;
        for (int i : shownEpochs(points.size())) {
            ChartPoint p = points.get(i);
            double[] k = IntStream.rangeClosed(1, p.reference().length)
                    .asDoubleStream()
                    .toArray();
            XYSeries sigma = chart.addSeries("sigma_k(A), epoch " + p.epoch(), k, p.reference());
            sigma.setMarker(SeriesMarkers.NONE);
            ChartStyle.colour(sigma, group, true);
            if (p.sequential() != null) {
                double[] s = p.sequential();
                XYSeries relu = chart.addSeries(
                        "s_k, epoch " + p.epoch(),
                        IntStream.rangeClosed(1, s.length).asDoubleStream().toArray(),
                        s);
                relu.setMarker(SeriesMarkers.CIRCLE);
                ChartStyle.colour(relu, group, false);
            }
            group++;
        }
        return chart;
    }

    /**
     * {@code s_{k,X} / s_{0,X}} against k, one curve per shown epoch, beside the last epoch's
     * {@code sigma_{k+1} / sigma_1} and its truncated-SVD bound over {@code s_{0,X}}.
     */
    static XYChart valuesOverData(String layer, List<ChartPoint> points) {
        XYChart chart =
                ChartStyle.chart("Layer " + layer + ": ReLU singular values over data", "rank k", "relative to rank 0");
        for (int i : shownEpochs(points.size())) {
            ChartPoint p = points.get(i);
            chart.addSeries("s_k,X / s_0,X, epoch " + p.epoch(), ranks(p), relative(p.overData(), p.overData()[0]))
                    .setMarker(SeriesMarkers.CIRCLE);
        }
        ChartPoint last = points.get(points.size() - 1);
        chart.addSeries("sigma_k+1 / sigma_1, epoch " + last.epoch(), ranks(last), last.nextSigma())
                .setMarker(SeriesMarkers.NONE);
        chart.addSeries(
                        "SVD bound / s_0,X, epoch " + last.epoch(),
                        ranks(last),
                        relative(last.svdBounds(), last.overData()[0]))
                .setMarker(SeriesMarkers.NONE);
        return chart;
    }

    private static double[] ranks(ChartPoint p) {
        return java.util.Arrays.stream(p.ranks()).asDoubleStream().toArray();
    }

    private static double[] relative(double[] values, double reference) {
        return java.util.Arrays.stream(values)
                .map(x -> reference > 0 ? x / reference : 0)
                .toArray();
    }

    static XYChart widths(String layer, List<ChartPoint> points) {
        XYChart chart = ChartStyle.chart("Layer " + layer + ": mean widths", "epoch", "width");
        double[] x = points.stream().mapToDouble(ChartPoint::epoch).toArray();
        double[] linear = points.stream().mapToDouble(ChartPoint::linearWidth).toArray();
        double[] relu = points.stream().mapToDouble(ChartPoint::reluWidth).toArray();
        if (IntStream.range(0, x.length).anyMatch(i -> !Double.isNaN(linear[i]))) {
            ChartStyle.colour(chart.addSeries("w_lin", x, linear), 0, true);
        }
        if (IntStream.range(0, x.length).anyMatch(i -> !Double.isNaN(relu[i]))) {
            ChartStyle.colour(chart.addSeries("w_relu", x, relu), 0, false);
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries("no widths computed", new double[] {0}, new double[] {0});
        }
        return chart;
    }

    /** WeightWatcher's alpha over epochs, with its standard error either side (dashed). */
    static XYChart alpha(String layer, List<ChartPoint> points) {
        XYChart chart = ChartStyle.chart("Layer " + layer + ": WeightWatcher's alpha", "epoch", "alpha");
        double[] x = points.stream().mapToDouble(ChartPoint::epoch).toArray();
        double[] alpha = points.stream().mapToDouble(ChartPoint::alpha).toArray();
        double[] low =
                points.stream().mapToDouble(p -> p.alpha() - p.alphaStdErr()).toArray();
        double[] high =
                points.stream().mapToDouble(p -> p.alpha() + p.alphaStdErr()).toArray();
        ChartStyle.colour(chart.addSeries("alpha", x, alpha), 0, false);
        XYSeries below = chart.addSeries("alpha - standard error", x, low);
        below.setMarker(SeriesMarkers.NONE);
        ChartStyle.colour(below, 0, true);
        XYSeries above = chart.addSeries("alpha + standard error", x, high);
        above.setMarker(SeriesMarkers.NONE);
        ChartStyle.colour(above, 0, true);
        return chart;
    }

    /** Which of {@code count} epochs a chart against k draws: at most six, evenly spaced, the last one always. */
    public static List<Integer> shownEpochs(int count) {
        List<Integer> shown = new ArrayList<>();
        int step = Math.max(1, (int) Math.ceil(count / (double) EPOCH_CURVES));
        for (int i = (count - 1) % step; i < count; i += step) {
            shown.add(i);
        }
        return shown;
    }

    /** Saves a chart as PNG; a reader never sees half a PNG (see {@link AtomicFiles}). */
    public static Path savePng(Chart<?, ?> chart, Path target) throws IOException {
        AtomicFiles.write(target, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        });
        return target;
    }
}
