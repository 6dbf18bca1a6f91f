package io.github.reluspectra.demo.report;

import io.github.reluspectra.demo.results.LenetEpoch;
import io.github.reluspectra.demo.results.LenetResult;
import io.github.reluspectra.demo.results.PruningRow;
import io.github.reluspectra.io.AtomicFiles;
import io.github.reluspectra.report.ChartStyle;
import io.github.reluspectra.report.Documents;
import io.github.reluspectra.report.Json;
import io.github.reluspectra.report.SpectraCharts;
import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.LayerAnalysis;
import io.github.reluspectra.results.Provenance;
import io.github.reluspectra.results.SeparationScore;
import io.github.reluspectra.results.SkippedLayer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report of {@code --model lenet}: {@code index.html}, {@code lenet.json} (per epoch the accuracy and the
 * times, per convolution layer its operator's values beside the pooled kernel-slice values) and the charts under
 * {@code charts/}; {@code spectra.jsonl}, {@code separation.jsonl} and the model are already there.
 */
public final class LenetReport {

    public static final String JSON = "lenet.json";
    /** How many values per convolution layer the comparison shows: sigma_1..sigma_8. */
    public static final int COMPARED = 8;

    private LenetReport() {}

    /** One convolution layer after the last epoch: its operator's top values, the slices', and the ratios. */
    public record ConvolutionRow(
            String layer,
            long[] inputShape,
            long[] outputShape,
            double[] sigma,
            double[] pooledKernelSlices,
            double[] sequentialRelu,
            double s1OverSigma1,
            double s8OverSigma8,
            double reluToLinearWidth,
            boolean singularValuesConverged) {

        static ConvolutionRow of(LayerAnalysis a) {
            double[] r = a.reluRatios();
            int k = Math.min(COMPARED, a.singularValues().length);
            return new ConvolutionRow(
                    a.name(),
                    a.convolution().geometry().inputShape(),
                    a.convolution().geometry().outputShape(),
                    Arrays.copyOf(a.singularValues(), k),
                    Arrays.copyOf(
                            a.convolution().pooledKernelSliceValues(),
                            Math.min(k, a.convolution().pooledKernelSliceValues().length)),
                    a.sequential() == null
                            ? null
                            : Arrays.copyOf(
                                    a.sequential().values(),
                                    Math.min(k, a.sequential().size())),
                    r == null ? Double.NaN : r[0],
                    r == null || r.length < COMPARED ? Double.NaN : r[COMPARED - 1],
                    a.width() == null ? Double.NaN : a.width().reluToLinear(),
                    a.convolution().classical().converged());
        }
    }

    /** {@code lenet.json}. */
    record Document(
            Provenance provenance,
            String data,
            int trainSamples,
            int testSamples,
            long params,
            String model,
            List<LenetEpoch> epochs,
            double meanAnalysisRatio,
            List<ConvolutionRow> convolutions,
            List<Documents.SeparationLine> separation,
            List<SkippedLayer> skipped,
            List<PruningRow> pruning,
            double seconds,
            String environment) {}

    /** The convolution layers of the last analysed epoch. */
    public static List<ConvolutionRow> convolutions(LenetResult result) {
        if (result.spectra().isEmpty()) {
            return List.of();
        }
        EpochSpectra last = result.spectra().get(result.spectra().size() - 1);
        return last.layers().stream()
                .filter(LayerAnalysis::isConvolution)
                .map(ConvolutionRow::of)
                .toList();
    }

    /** Mean over epochs of (spectra + separation seconds) / training seconds. */
    public static double meanAnalysisRatio(LenetResult result) {
        return result.epochs().stream()
                .mapToDouble(LenetEpoch::analysisRatio)
                .average()
                .orElse(Double.NaN);
    }

    /** Writes the report; returns the path of {@code index.html}. */
    public static Path write(LenetResult result) throws IOException {
        Path dir = result.config().out();
        Path charts = dir.resolve(ReportWriter.CHARTS);
        SpectraCharts.write(result.spectra(), charts);
        List<ConvolutionRow> rows = convolutions(result);
        for (ConvolutionRow row : rows) {
            SpectraCharts.savePng(comparison(row), charts.resolve(comparisonFile(row.layer())));
        }
        Document document = new Document(
                Provenance.of(result.config().seed(), Map.of("demo", result.config(), "model", "lenet")),
                result.source(),
                result.trainSize(),
                result.testSize(),
                result.params(),
                "model-lenet.zip",
                result.epochs(),
                meanAnalysisRatio(result),
                rows,
                result.separation().stream().map(Documents.SeparationLine::of).toList(),
                result.skipped(),
                result.pruning(),
                result.seconds(),
                result.environment());
        AtomicFiles.writeString(dir.resolve(JSON), Json.pretty(document));
        Path index = dir.resolve(ReportWriter.INDEX);
        AtomicFiles.writeString(index, html(result, rows));
        return index;
    }

    static String comparisonFile(String layer) {
        return ReportWriter.fileName(layer) + "-operator-vs-slices.png";
    }

    private static XYChart comparison(ConvolutionRow row) {
        XYChart chart =
                ChartStyle.chart("Layer " + row.layer() + ": operator against pooled kernel slices", "k", "value");
        chart.addSeries("sigma_k of the operator", ks(row.sigma().length), row.sigma());
        if (row.sequentialRelu() != null) {
            chart.addSeries("sequential ReLU s_k", ks(row.sequentialRelu().length), row.sequentialRelu());
        }
        chart.addSeries(
                        "pooled kernel-slice values (WeightWatcher)",
                        ks(row.pooledKernelSlices().length),
                        row.pooledKernelSlices())
                .setMarker(SeriesMarkers.DIAMOND);
        return chart;
    }

    private static double[] ks(int n) {
        return IntStream.rangeClosed(1, n).asDoubleStream().toArray();
    }

    private static String html(LenetResult result, List<ConvolutionRow> rows) {
        HtmlPage h = new HtmlPage("ReLU spectra of an MNIST LeNet");
        LenetEpoch last = result.lastEpoch();
        h.p(
                "meta",
                "Data: " + HtmlPage.esc(result.source()) + " (" + result.trainSize() + " training, "
                        + result.testSize()
                        + " test digits). LeNet: conv 5x5x20 (ReLU), max pool 2x2, conv 5x5x50 (ReLU), "
                        + "max pool 2x2, dense 500 (ReLU), softmax 10; " + result.params() + " parameters; Adam 1e-3, "
                        + "minibatch " + result.config().batchSize() + ", "
                        + result.epochs().size() + " epochs, seed "
                        + result.config().seed() + ". Run took " + fmt("%.0f", result.seconds()) + " s on "
                        + HtmlPage.esc(result.environment()) + ".");
        h.p(
                null,
                "A convolution layer is a linear operator A on its input tensor (c×h×w → c'×h'×w'). Its "
                        + "singular values σ<sub>k</sub>, its sequential ReLU singular values s<sub>k</sub> and its mean "
                        + "widths are those of that operator, computed without forming its matrix (the layer's own im2col "
                        + "product and its adjoint). The pooled kernel-slice values are what WeightWatcher reports for a "
                        + "convolution: the singular values of the kh·kw slices W[:, :, i, j] (c'×c each), pooled. They "
                        + "are shown for comparison; they are not the operator's.");
        h.append("<div class=\"box\"><b>What this run shows</b><ul>\n");
        h.append("<li>")
                .append(String.format(
                        Locale.ROOT,
                        "After %d epochs LeNet classifies %.2f%% of the %d test " + "digits correctly.",
                        result.epochs().size(),
                        100 * last.accuracy(),
                        result.testSize()))
                .append("</li>\n");
        h.append("<li>")
                .append(String.format(
                        Locale.ROOT,
                        "Both listeners together took %.3f of the training time "
                                + "per epoch on average (spectra and separation at every epoch's end).",
                        meanAnalysisRatio(result)))
                .append("</li>\n");
        for (ConvolutionRow r : rows) {
            h.append("<li>")
                    .append(String.format(
                            Locale.ROOT,
                            "Layer %s: σ<sub>1</sub> of the operator is %.3g, "
                                    + "%.2f× the largest pooled kernel-slice value (%.3g); s<sub>1</sub>/σ<sub>1</sub> = "
                                    + "%.3f, s<sub>8</sub>/σ<sub>8</sub> = %.3f, w<sub>relu</sub>/w<sub>lin</sub> = %.3f.",
                            HtmlPage.esc(r.layer()),
                            r.sigma()[0],
                            r.sigma()[0] / r.pooledKernelSlices()[0],
                            r.pooledKernelSlices()[0],
                            r.s1OverSigma1(),
                            r.s8OverSigma8(),
                            r.reluToLinearWidth()))
                    .append("</li>\n");
        }
        h.append("</ul></div>\n<h2>Training</h2>\n<table><tr><th>epoch</th><th>test accuracy</th><th>training s</th>"
                + "<th>spectra s</th><th>separation s</th><th>analysis / training</th></tr>\n");
        for (LenetEpoch e : result.epochs()) {
            h.append(String.format(
                    Locale.ROOT,
                    "<tr><td>%d</td><td>%.4f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td>" + "<td>%.3f</td></tr>%n",
                    e.epoch(),
                    e.accuracy(),
                    e.trainingSeconds(),
                    e.spectraSeconds(),
                    e.separationSeconds(),
                    e.analysisRatio()));
        }
        h.append("</table>\n<h2>Convolution layers after the last epoch</h2>\n");
        for (ConvolutionRow r : rows) {
            h.append("<h3>")
                    .append(HtmlPage.esc(r.layer()))
                    .append(": ")
                    .append(shape(r.inputShape()))
                    .append(" → ")
                    .append(shape(r.outputShape()))
                    .append("</h3>\n");
            h.append("<table><tr><th>k</th><th>σ<sub>k</sub> (operator)</th><th>s<sub>k</sub></th>"
                    + "<th>s<sub>k</sub>/σ<sub>k</sub></th><th>pooled kernel-slice</th></tr>\n");
            for (int k = 0; k < r.sigma().length; k++) {
                double s = r.sequentialRelu() != null && k < r.sequentialRelu().length
                        ? r.sequentialRelu()[k]
                        : Double.NaN;
                h.append(String.format(
                        Locale.ROOT,
                        "<tr><td>%d</td><td>%.4g</td><td>%.4g</td><td>%.4f</td>" + "<td>%.4g</td></tr>%n",
                        k + 1,
                        r.sigma()[k],
                        s,
                        s / r.sigma()[k],
                        k < r.pooledKernelSlices().length ? r.pooledKernelSlices()[k] : Double.NaN));
            }
            h.append("</table>\n");
            if (!r.singularValuesConverged()) {
                h.p(null, "<b>The top singular values did not converge to the tolerance</b>; see lenet.json.");
            }
            chart(h, comparisonFile(r.layer()));
        }
        h.append("<h2>Spectra per layer and epoch</h2>\n");
        EpochSpectra lastSpectra = result.spectra().isEmpty()
                ? null
                : result.spectra().get(result.spectra().size() - 1);
        if (lastSpectra != null) {
            for (LayerAnalysis a : lastSpectra.layers()) {
                h.p(null, HtmlPage.esc(a.summary()));
                chart(h, ReportWriter.fileName(a.name()) + "-spectrum.png");
                chart(h, ReportWriter.fileName(a.name()) + "-widths.png");
            }
        }
        h.p(null, "Not analysed: " + HtmlPage.esc(result.skipped().toString()));
        if (!result.separation().isEmpty()) {
            EpochSeparation s = result.separation().get(result.separation().size() - 1);
            h.append("<h2>Separation of misclassified digits, last epoch</h2>\n");
            h.p(null, s.misclassified() + " of " + s.samples() + " held-out digits misclassified.");
            h.append("<table><tr><th class=\"l\">layer</th><th class=\"l\">measure</th><th>AUROC</th>"
                    + "<th class=\"l\">misclassified when</th></tr>\n");
            row(h, s.msp());
            s.scores().forEach(score -> row(h, score));
            h.append("</table>\n");
        }
        if (!result.pruning().isEmpty()) {
            h.append("<h2>Pruning, convolutions included</h2>\n");
            h.p(
                    null,
                    "The trained network pruned to a budget of the weights of both convolutions and the "
                            + "dense layer (each convolution becomes a convolution to r channels and a 1x1 one), fitted on "
                            + "the first training digits' layer inputs (a convolution's: its input patches), then fine-tuned "
                            + "one epoch; accuracy on the same test digits. Ranks are conv1/conv2/dense.");
            h.append("<table><tr><th class=\"l\">method</th><th class=\"l\">setting</th><th class=\"l\">ranks"
                    + "</th><th>params</th><th>fewer</th><th>accuracy</th><th>after one epoch</th></tr>\n");
            for (PruningRow r : result.pruning()) {
                h.append(String.format(
                        Locale.ROOT,
                        "<tr><td class=\"l\">%s</td><td class=\"l\">%s</td>"
                                + "<td class=\"l\">%s</td><td>%d</td><td>%.2f×</td><td>%.4f</td><td>%.4f</td></tr>%n",
                        HtmlPage.esc(r.label()),
                        r.setting(),
                        r.ranks(),
                        r.params(),
                        (double) result.params() / r.params(),
                        r.accuracy(),
                        r.accuracyFineTuned()));
            }
            h.append("</table>\n");
        }
        h.append("<h2>Files</h2>\n");
        h.p(
                null,
                "model-lenet.zip (the trained network), "
                        + "model-pruned-METHOD-SETTING.zip (the pruned and fine-tuned networks), spectra.jsonl and "
                        + "separation.jsonl (one line per epoch from the listeners), lenet.json (this page's numbers), "
                        + "charts/.");
        return h.end();
    }

    private static void row(HtmlPage h, SeparationScore s) {
        h.append(String.format(
                Locale.ROOT,
                "<tr><td class=\"l\">%s</td><td class=\"l\">%s</td><td>%.3f</td>" + "<td class=\"l\">%s</td></tr>%n",
                HtmlPage.esc(s.layer()),
                s.measure(),
                s.auroc(),
                s.direction()));
    }

    private static void chart(HtmlPage h, String file) {
        h.img(ReportWriter.CHARTS + "/" + file, file);
    }

    private static String shape(long[] chw) {
        return chw[0] + "×" + chw[1] + "×" + chw[2];
    }

    private static String fmt(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }
}
