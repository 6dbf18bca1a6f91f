package io.github.reluspectra.report;

import io.github.reluspectra.results.LayerKind;
import io.github.reluspectra.results.SkippedLayer;
import io.github.reluspectra.spectra.SpectralMetrics;
import java.util.Locale;

/** The analysis document as a readable plain-text table per layer. */
public final class AnalysisTable {

    private static final int SHOWN = 8;

    private AnalysisTable() {}

    public static String format(Documents.Analysis analysis) {
        StringBuilder out = new StringBuilder();
        for (Documents.Layer layer : analysis.layers()) {
            out.append(String.format(
                    Locale.ROOT,
                    "Layer %d '%s' %s %s%d -> %d, activation %s (%.2f s)%n",
                    layer.index(),
                    layer.name(),
                    layer.type(),
                    layer.inputShape() == null
                            ? ""
                            : shape(layer.inputShape()) + " -> " + shape(layer.outputShape()) + " = ",
                    layer.nIn(),
                    layer.nOut(),
                    layer.activation(),
                    layer.seconds()));
            Documents.Convolution c = layer.convolution();
            if (c != null) {
                out.append(String.format(
                        Locale.ROOT,
                        "  kernel %s, stride %s, padding %s%s, dilation %s, %s; top %d "
                                + "classical values by block Krylov (%d products, %s to relative residual "
                                + "%.0e); kernel-slice: WeightWatcher's pooled slice spectrum, not the layer's%n",
                        pair(c.kernel()),
                        pair(c.stride()),
                        pair(c.padding()),
                        c.sameMode() ? " (same)" : "",
                        pair(c.dilation()),
                        c.format(),
                        layer.singularValues().length,
                        c.singularValueIterations(),
                        c.singularValuesConverged() ? "converged" : "NOT converged",
                        c.singularValueTolerance()));
            }
            values(out, layer);
            Documents.OverData overData = layer.reluSingularValues();
            if (overData != null) {
                out.append(String.format(
                        Locale.ROOT,
                        "  ReLU singular values over %d inputs (%.2f s):%n",
                        overData.samples(),
                        overData.seconds()));
                out.append(String.format(
                        Locale.ROOT, "  %4s %14s %14s %14s %14s%n", "k", "s_k,X", "rms", "SVD bound", "sigma_k+1 |x|"));
                for (int i = 0; i < overData.ranks().length; i++) {
                    out.append(String.format(
                            Locale.ROOT,
                            "  %4d %14s %14s %14s %14s%n",
                            overData.ranks()[i],
                            fmt(overData.values()[i]),
                            fmt(overData.rms()[i]),
                            fmt(overData.svdValues()[i]),
                            fmt(overData.sigmaBounds()[i])));
                }
            }
            Documents.Width w = layer.meanWidth();
            if (w != null) {
                out.append(String.format(
                        Locale.ROOT,
                        "  mean width: linear %s +- %s, relu %s +- %s (N = %d, w(B^n) = %s)%n",
                        fmt(w.linear()),
                        fmt(w.linearStdErr()),
                        fmt(w.relu()),
                        fmt(w.reluStdErr()),
                        w.samples(),
                        fmt(w.ballWidth())));
            }
            SpectralMetrics m = layer.spectralMetrics();
            if (m != null && !Double.isNaN(m.alpha())) {
                out.append(String.format(
                        Locale.ROOT,
                        "  WeightWatcher (%s): alpha %.3f +- %.3f (KS %.3f, %d eigenvalues "
                                + "from %.4g), weighted alpha %.3f, log10 spectral norm %.3f, log10 alpha-norm %.3f, "
                                + "stable rank %.2f%n",
                        layer.convolution() == null ? "eigenvalues sigma_k^2" : "pooled kernel slices",
                        m.alpha(),
                        m.alphaStdErr(),
                        m.ksDistance(),
                        m.tailSize(),
                        m.xmin(),
                        m.weightedAlpha(),
                        m.logSpectralNorm(),
                        m.logAlphaNorm(),
                        m.stableRank()));
            }
            out.append(System.lineSeparator());
        }
        for (SkippedLayer skipped : analysis.skipped()) {
            out.append(skipped).append(System.lineSeparator());
        }
        return out.toString();
    }

    /**
     * {@code sigma_k} and, for a ReLU layer, the sequential {@code s_k} (all K asked for), {@code s_k / sigma_k(A)}
     * (against the linear part for a double layer) and whether the value converged; for other layers at most
     * {@value #SHOWN} classical values.
     */
    private static void values(StringBuilder out, Documents.Layer layer) {
        double[] sigma = layer.singularValues();
        double[] relu = layer.sequentialReluValues();
        // A ReLU layer shows the K values asked for; the others their leading classical values.
        int total = relu == null ? sigma.length : relu.length;
        int rows = relu == null ? Math.min(SHOWN, total) : total;
        double[] slices =
                layer.convolution() == null ? null : layer.convolution().pooledKernelSliceValues();
        String sliceHeader = slices == null ? "" : String.format(Locale.ROOT, " %14s", "kernel-slice");
        if (relu == null) {
            out.append(String.format(Locale.ROOT, "  %4s %14s%s%n", "k", "sigma_k", sliceHeader));
            for (int k = 0; k < rows; k++) {
                out.append(String.format(Locale.ROOT, "  %4d %14s%s%n", k + 1, fmt(sigma[k]), slice(slices, k)));
            }
        } else {
            String ratio = LayerKind.DOUBLE_LAYER.displayName().equals(layer.type()) ? "s_k/sigma_k(A)" : "s_k/sigma_k";
            boolean[] converged = layer.sequentialReluSearch().valueConverged();
            out.append(String.format(
                    Locale.ROOT, "  %4s %14s %14s %14s%s%n", "k", "sigma_k", "seq. s_k", ratio, sliceHeader));
            for (int k = 0; k < rows; k++) {
                out.append(String.format(
                        Locale.ROOT,
                        "  %4d %14s %14s %14s%s%s%n",
                        k + 1,
                        k < sigma.length ? fmt(sigma[k]) : "-",
                        fmt(relu[k]),
                        fmt(layer.reluRatios()[k]),
                        slice(slices, k),
                        converged[k] ? "" : "  (not converged)"));
            }
            if (LayerKind.DOUBLE_LAYER.displayName().equals(layer.type())) {
                out.append("  (a double layer: sigma_k is that of D = [A; -A], the ratio is against sigma_k(A) = "
                                + "sigma_k(D)/sqrt 2)")
                        .append(System.lineSeparator());
            }
        }
        if (rows < total) {
            out.append(String.format(Locale.ROOT, "  ... %d more (use --json for all)%n", total - rows));
        }
    }

    private static String slice(double[] slices, int k) {
        return slices == null ? "" : String.format(Locale.ROOT, " %14s", k < slices.length ? fmt(slices[k]) : "-");
    }

    private static String shape(long[] chw) {
        return chw[0] + "x" + chw[1] + "x" + chw[2];
    }

    private static String pair(int[] v) {
        return v[0] + "x" + v[1];
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "-";
    }
}
