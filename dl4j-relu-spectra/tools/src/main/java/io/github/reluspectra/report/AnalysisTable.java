package io.github.reluspectra.report;

import io.github.reluspectra.results.LayerAnalysis;
import io.github.reluspectra.results.SkippedLayer;
import java.util.Locale;

/** The analysis document as a readable plain-text table per layer. */
public final class AnalysisTable {

    private static final int SHOWN = 8;

    private AnalysisTable() {
    }

    public static String format(Documents.Analysis analysis) {
        StringBuilder out = new StringBuilder();
        for (Documents.Layer layer : analysis.layers()) {
            out.append(String.format(Locale.ROOT, "Layer %d '%s' %s %d -> %d, activation %s (%.2f s)%n",
                    layer.index(), layer.name(), layer.type(), layer.nIn(), layer.nOut(), layer.activation(),
                    layer.seconds()));
            values(out, layer);
            Documents.OverData overData = layer.reluSingularValues();
            if (overData != null) {
                out.append(String.format(Locale.ROOT, "  ReLU singular values over %d inputs (%.2f s):%n",
                        overData.samples(), overData.seconds()));
                out.append(String.format(Locale.ROOT, "  %4s %14s %14s %14s %14s%n", "k", "s_k,X", "rms",
                        "SVD bound", "sigma_k+1 |x|"));
                for (int i = 0; i < overData.ranks().length; i++) {
                    out.append(String.format(Locale.ROOT, "  %4d %14s %14s %14s %14s%n", overData.ranks()[i],
                            fmt(overData.values()[i]), fmt(overData.rms()[i]), fmt(overData.svdValues()[i]),
                            fmt(overData.sigmaBounds()[i])));
                }
            }
            Documents.Width w = layer.meanWidth();
            if (w != null) {
                out.append(String.format(Locale.ROOT,
                        "  mean width: linear %s +- %s, relu %s +- %s (N = %d, w(B^n) = %s)%n",
                        fmt(w.linear()), fmt(w.linearStdErr()), fmt(w.relu()), fmt(w.reluStdErr()), w.samples(),
                        fmt(w.ballWidth())));
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
        if (relu == null) {
            out.append(String.format(Locale.ROOT, "  %4s %14s%n", "k", "sigma_k"));
            for (int k = 0; k < rows; k++) {
                out.append(String.format(Locale.ROOT, "  %4d %14s%n", k + 1, fmt(sigma[k])));
            }
        } else {
            String ratio = LayerAnalysis.DOUBLE_LAYER.equals(layer.type()) ? "s_k/sigma_k(A)" : "s_k/sigma_k";
            boolean[] converged = layer.sequentialReluSearch().valueConverged();
            out.append(String.format(Locale.ROOT, "  %4s %14s %14s %14s%n", "k", "sigma_k", "seq. s_k", ratio));
            for (int k = 0; k < rows; k++) {
                out.append(String.format(Locale.ROOT, "  %4d %14s %14s %14s%s%n", k + 1,
                        k < sigma.length ? fmt(sigma[k]) : "-", fmt(relu[k]), fmt(layer.reluRatios()[k]),
                        converged[k] ? "" : "  (not converged)"));
            }
            if (LayerAnalysis.DOUBLE_LAYER.equals(layer.type())) {
                out.append("  (a double layer: sigma_k is that of D = [A; -A], the ratio is against sigma_k(A) = "
                        + "sigma_k(D)/sqrt 2)").append(System.lineSeparator());
            }
        }
        if (rows < total) {
            out.append(String.format(Locale.ROOT, "  ... %d more (use --json for all)%n", total - rows));
        }
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "-";
    }
}
