package io.github.reluspectra.demo.report;

import io.github.reluspectra.demo.results.DemoResult;
import io.github.reluspectra.demo.results.EpochRecord;
import io.github.reluspectra.demo.results.PruningRow;
import io.github.reluspectra.report.ChartStyle;
import io.github.reluspectra.report.SpectraCharts;
import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.LayerAnalysis;
import io.github.reluspectra.results.SeparationScore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The demo's own PNG charts, beside the listener's spectrum and width charts: the ratio {@code s_k / sigma_k}
 * per layer, separation AUROC over epochs, accuracy against parameters of the pruning sweep, and the test
 * accuracy of the plain and the double-layer network over epochs.
 */
final class DemoCharts {

    private DemoCharts() {}

    static String ratioFile(String layer) {
        return ReportWriter.CHARTS + "/" + ReportWriter.fileName(layer) + "-ratio.png";
    }

    static final String SEPARATION = ReportWriter.CHARTS + "/separation.png";
    static final String PRUNING = ReportWriter.CHARTS + "/pruning.png";
    static final String PLAIN_VS_DOUBLE = ReportWriter.CHARTS + "/plain-vs-double.png";

    /** Writes every chart under {@code dir}; returns the files, relative to {@code dir}. */
    static List<String> write(DemoResult result, Path dir) throws IOException {
        List<String> written = new ArrayList<>();
        for (var layer : byLayer(result.spectra()).entrySet()) {
            if (layer.getValue().stream().anyMatch(e -> e.analysis().sequential() != null)) {
                written.add(save(ratio(layer.getKey(), layer.getValue()), dir, ratioFile(layer.getKey())));
            }
        }
        if (!result.separation().isEmpty()) {
            written.add(save(separation(result.separation()), dir, SEPARATION));
        }
        written.add(save(pruning(result), dir, PRUNING));
        written.add(save(plainVsDouble(result.epochs()), dir, PLAIN_VS_DOUBLE));
        return written;
    }

    record EpochLayer(int epoch, LayerAnalysis analysis) {}

    static Map<String, List<EpochLayer>> byLayer(List<EpochSpectra> history) {
        Map<String, List<EpochLayer>> out = new LinkedHashMap<>();
        for (EpochSpectra epoch : history) {
            for (LayerAnalysis layer : epoch.layers()) {
                out.computeIfAbsent(layer.name(), k -> new ArrayList<>()).add(new EpochLayer(epoch.epoch(), layer));
            }
        }
        return out;
    }

    private static XYChart ratio(String layer, List<EpochLayer> epochs) {
        XYChart chart =
                chart("Layer " + layer + ": s_k / sigma_k (1 = ReLU keeps all; bound 1/sqrt 2)", "k", "s_k / sigma_k");
        int count = epochs.size();
        for (int i : SpectraCharts.shownEpochs(count)) {
            EpochLayer e = epochs.get(i);
            if (e.analysis().sequential() == null) {
                continue;
            }
            double[] ratios = e.analysis().reluRatios();
            chart.addSeries("epoch " + e.epoch(), ks(ratios.length), ratios).setMarker(SeriesMarkers.CIRCLE);
        }
        int k = epochs.get(count - 1).analysis().sequential().size();
        XYSeries bound =
                chart.addSeries("1/sqrt 2", new double[] {1, k}, new double[] {Math.sqrt(0.5), Math.sqrt(0.5)});
        bound.setMarker(SeriesMarkers.NONE);
        return chart;
    }

    private static XYChart separation(List<EpochSeparation> history) {
        XYChart chart = chart("Separation of misclassified test digits: AUROC over epochs", "epoch", "AUROC");
        double[] x = history.stream().mapToDouble(s -> s.epoch()).toArray();
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put(
                "MSP (output)",
                history.stream().mapToDouble(s -> s.msp().auroc()).toArray());
        for (int i = 0; i < history.size(); i++) {
            for (SeparationScore score : history.get(i).scores()) {
                series.computeIfAbsent(score.layer() + " " + score.measure(), k -> new double[history.size()])[i] =
                        score.auroc();
            }
        }
        series.forEach((name, y) -> chart.addSeries(name, x, y));
        return chart;
    }

    private static XYChart pruning(DemoResult result) {
        XYChart chart = chart(
                "Pruning: test accuracy against parameters (filled: after one fine-tuning epoch)",
                "parameters",
                "test accuracy");
        chart.addSeries("trained MLP", new double[] {result.plainParams()}, new double[] {result.pruningBaseline()})
                .setMarker(SeriesMarkers.DIAMOND);
        Map<String, List<PruningRow>> byMethod = new LinkedHashMap<>();
        result.pruning()
                .forEach(r -> byMethod.computeIfAbsent(r.label(), k -> new ArrayList<>())
                        .add(r));
        int group = 1;
        for (var method : byMethod.entrySet()) {
            List<PruningRow> rows = new ArrayList<>(method.getValue());
            rows.sort((a, b) -> Long.compare(a.params(), b.params()));
            double[] x = rows.stream().mapToDouble(PruningRow::params).toArray();
            ChartStyle.colour(
                            chart.addSeries(
                                    method.getKey() + ", fine-tuned",
                                    x,
                                    rows.stream()
                                            .mapToDouble(PruningRow::accuracyFineTuned)
                                            .toArray()),
                            group,
                            false)
                    .setMarker(SeriesMarkers.CIRCLE);
            ChartStyle.colour(
                            chart.addSeries(
                                    method.getKey() + ", pruned",
                                    x,
                                    rows.stream()
                                            .mapToDouble(PruningRow::accuracy)
                                            .toArray()),
                            group,
                            true)
                    .setMarker(SeriesMarkers.TRIANGLE_DOWN);
            group++;
        }
        return chart;
    }

    private static XYChart plainVsDouble(List<EpochRecord> epochs) {
        XYChart chart = chart(
                "Plain ReLU against double layers (same parameter count): test accuracy", "epoch", "test accuracy");
        double[] x = epochs.stream().mapToDouble(e -> (double) e.epoch()).toArray();
        chart.addSeries(
                "ReLU MLP",
                x,
                epochs.stream().mapToDouble(EpochRecord::plainAccuracy).toArray());
        chart.addSeries(
                "double layers",
                x,
                epochs.stream().mapToDouble(EpochRecord::doubleAccuracy).toArray());
        return chart;
    }

    private static XYChart chart(String title, String x, String y) {
        return ChartStyle.chart(title, x, y);
    }

    private static double[] ks(int n) {
        return IntStream.rangeClosed(1, n).asDoubleStream().toArray();
    }

    private static String save(Chart<?, ?> chart, Path dir, String relative) throws IOException {
        Path target = dir.resolve(relative);
        Files.createDirectories(target.getParent());
        SpectraCharts.savePng(chart, target);
        return relative;
    }
}
