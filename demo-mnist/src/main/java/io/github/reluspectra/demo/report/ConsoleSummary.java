package io.github.reluspectra.demo.report;

import io.github.reluspectra.demo.results.DemoResult;
import io.github.reluspectra.demo.results.EpochRecord;
import io.github.reluspectra.demo.results.LenetEpoch;
import io.github.reluspectra.demo.results.LenetResult;
import io.github.reluspectra.demo.results.PruningRow;
import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.LayerAnalysis;
import io.github.reluspectra.results.SeparationScore;
import java.nio.file.Path;
import java.util.Locale;

/** The plain-text tables printed at the end of a run. */
public final class ConsoleSummary {

    private ConsoleSummary() {}

    public static String text(DemoResult result, Path index) {
        StringBuilder b = new StringBuilder();
        EpochRecord last = result.lastEpoch();
        line(b, "");
        line(b, "=== demo-mnist summary ===");
        line(
                b,
                "data: %s; %d training and %d test digits used",
                result.source(),
                result.trainSize(),
                result.testSize());
        line(b, "wall time %.0f s; %s", result.seconds(), result.environment());
        line(b, "");
        line(
                b,
                "test accuracy after %d epochs: MLP %.4f (%d params), double layers %.4f (%d params)",
                result.epochs().size(),
                last.plainAccuracy(),
                result.plainParams(),
                last.doubleAccuracy(),
                result.doubleParams());
        if (!result.spectra().isEmpty()) {
            EpochSpectra spectra = result.spectra().get(result.spectra().size() - 1);
            line(b, "");
            line(b, "spectra after the last epoch:");
            line(
                    b,
                    "  %-10s %-12s %9s %9s %9s %9s %11s",
                    "layer",
                    "shape",
                    "sigma_1",
                    "s_1",
                    "s_1/sig_1",
                    "s_K/sig_K",
                    "w_relu/w_lin");
            for (LayerAnalysis a : spectra.layers()) {
                double[] r = a.reluRatios();
                line(
                        b,
                        "  %-10s %-12s %9.4g %9s %9s %9s %11s",
                        a.name(),
                        a.nOut() + "x" + a.nIn(),
                        a.singularValues()[0],
                        r == null ? "-" : fmt("%.4g", a.sequential().values()[0]),
                        r == null ? "-" : fmt("%.4f", r[0]),
                        r == null ? "-" : fmt("%.4f", r[r.length - 1]),
                        a.width() == null || Double.isNaN(a.width().relu())
                                ? "-"
                                : fmt("%.4f", a.width().reluToLinear()));
            }
        }
        separation(b, result.separation());
        line(b, "");
        line(b, "pruning (trained MLP: %d params, accuracy %.4f):", result.plainParams(), result.pruningBaseline());
        pruningTable(b, result.pruning(), result.plainParams());
        line(b, "");
        line(b, "report: %s", index.toAbsolutePath().normalize());
        return b.toString();
    }

    /** The LeNet run's summary: accuracy, times, and per convolution layer its values beside the slices'. */
    public static String text(LenetResult result, Path index) {
        StringBuilder b = new StringBuilder();
        LenetEpoch last = result.lastEpoch();
        line(b, "");
        line(b, "=== demo-mnist --model lenet summary ===");
        line(
                b,
                "data: %s; %d training and %d test digits used",
                result.source(),
                result.trainSize(),
                result.testSize());
        line(b, "wall time %.0f s; %s", result.seconds(), result.environment());
        line(
                b,
                "test accuracy after %d epochs: %.4f (%d params); analysis/training per epoch %.3f on average",
                result.epochs().size(),
                last.accuracy(),
                result.params(),
                LenetReport.meanAnalysisRatio(result));
        line(
                b,
                "  %-6s %9s %11s %10s %12s %10s",
                "epoch",
                "accuracy",
                "training s",
                "spectra s",
                "separation s",
                "ratio");
        for (LenetEpoch e : result.epochs()) {
            line(
                    b,
                    "  %-6d %9.4f %11.1f %10.1f %12.1f %10.3f",
                    e.epoch(),
                    e.accuracy(),
                    e.trainingSeconds(),
                    e.spectraSeconds(),
                    e.separationSeconds(),
                    e.analysisRatio());
        }
        for (LenetReport.ConvolutionRow r : LenetReport.convolutions(result)) {
            line(b, "");
            line(
                    b,
                    "%s (%s -> %s): s_1/sigma_1 %.4f, s_8/sigma_8 %.4f, w_relu/w_lin %.4f%s",
                    r.layer(),
                    shape(r.inputShape()),
                    shape(r.outputShape()),
                    r.s1OverSigma1(),
                    r.s8OverSigma8(),
                    r.reluToLinearWidth(),
                    r.singularValuesConverged() ? "" : " (singular values NOT converged)");
            line(b, "  %-3s %12s %12s %16s", "k", "sigma_k", "s_k", "kernel-slice");
            for (int k = 0; k < r.sigma().length; k++) {
                line(
                        b,
                        "  %-3d %12.5g %12s %16s",
                        k + 1,
                        r.sigma()[k],
                        r.sequentialRelu() == null ? "-" : fmt("%.5g", r.sequentialRelu()[k]),
                        k < r.pooledKernelSlices().length ? fmt("%.5g", r.pooledKernelSlices()[k]) : "-");
            }
        }
        separation(b, result.separation());
        line(b, "");
        line(
                b,
                "pruning, convolutions included (trained LeNet: %d params, accuracy %.4f):",
                result.params(),
                last.accuracy());
        pruningTable(b, result.pruning(), result.params());
        line(b, "");
        line(b, "report: %s", index.toAbsolutePath().normalize());
        return b.toString();
    }

    private static void pruningTable(StringBuilder b, java.util.List<PruningRow> rows, long plainParams) {
        line(
                b,
                "  %-16s %-11s %-9s %9s %7s %9s %9s",
                "method",
                "setting",
                "ranks",
                "params",
                "fewer",
                "accuracy",
                "after FT");
        for (PruningRow r : rows) {
            line(
                    b,
                    "  %-16s %-11s %-9s %9d %6.2fx %9.4f %9.4f",
                    r.label(),
                    r.setting(),
                    r.ranks(),
                    r.params(),
                    (double) plainParams / r.params(),
                    r.accuracy(),
                    r.accuracyFineTuned());
        }
    }

    private static String shape(long[] chw) {
        return chw[0] + "x" + chw[1] + "x" + chw[2];
    }

    /** The last epoch's separation table, if any. */
    private static void separation(StringBuilder b, java.util.List<EpochSeparation> history) {
        if (history.isEmpty()) {
            return;
        }
        EpochSeparation s = history.get(history.size() - 1);
        line(b, "");
        line(b, "separation of misclassified test digits (%d of %d), last epoch:", s.misclassified(), s.samples());
        line(b, "  %-10s %-15s %7s  %s", "layer", "measure", "AUROC", "misclassified when");
        separationRow(b, s.msp());
        s.scores().forEach(score -> separationRow(b, score));
    }

    private static void separationRow(StringBuilder b, SeparationScore s) {
        line(
                b,
                "  %-10s %-15s %7s  %s",
                s.layer(),
                s.measure(),
                Double.isNaN(s.auroc()) ? "-" : fmt("%.3f", s.auroc()),
                s.direction());
    }

    private static void line(StringBuilder b, String format, Object... args) {
        b.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }

    private static String fmt(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }
}
