package io.github.reluspectra.report;

import io.github.reluspectra.network.LayerAnalysis;
import io.github.reluspectra.spectra.MeanWidth;
import io.github.reluspectra.spectra.RankFit;
import io.github.reluspectra.spectra.ReluValuesOverData;
import java.util.List;
import java.util.Locale;

/** A readable plain-text table per layer. */
public final class AnalysisTable {

    private static final int SHOWN = 8;

    private AnalysisTable() {
    }

    public static String format(List<LayerAnalysis> layers) {
        StringBuilder out = new StringBuilder();
        for (LayerAnalysis layer : layers) {
            out.append(String.format(Locale.ROOT, "Layer %d '%s' %s %d -> %d, activation %s (%.2f s)%n",
                    layer.index(), layer.name(), layer.type(), layer.nIn(), layer.nOut(), layer.activation(),
                    layer.seconds()));
            double[] sigma = layer.singularValues();
            double[] relu = layer.sequential() == null ? null : layer.sequential().values();
            int total = Math.max(sigma.length, relu == null ? 0 : relu.length);
            int rows = Math.min(SHOWN, total);
            out.append(String.format(Locale.ROOT, "  %4s %14s %14s %10s%n", "k", "sigma_k", "seq. s_k", "s_k/sigma_k"));
            for (int k = 0; k < rows; k++) {
                double s = k < sigma.length ? sigma[k] : 0;
                String reluText = relu != null && k < relu.length ? fmt(relu[k]) : "-";
                String ratio = relu != null && k < relu.length && s > 0 ? fmt(relu[k] / s) : "-";
                out.append(String.format(Locale.ROOT, "  %4d %14s %14s %10s%n", k + 1, fmt(s), reluText, ratio));
            }
            if (rows < total) {
                out.append(String.format(Locale.ROOT, "  ... %d more (use --json for all)%n", total - rows));
            }
            ReluValuesOverData overData = layer.overData();
            if (overData != null) {
                out.append(String.format(Locale.ROOT, "  ReLU singular values over %d inputs (%.2f s):%n",
                        overData.samples(), overData.seconds()));
                out.append(String.format(Locale.ROOT, "  %4s %14s %14s %14s %14s%n", "k", "s_k,X", "rms",
                        "SVD bound", "sigma_k+1 |x|"));
                for (RankFit f : overData.fits()) {
                    out.append(String.format(Locale.ROOT, "  %4d %14s %14s %14s %14s%n", f.rank(), fmt(f.value()),
                            fmt(f.rms()), fmt(f.svdValue()), fmt(f.sigmaBound())));
                }
            }
            MeanWidth w = layer.width();
            if (w != null) {
                out.append(String.format(Locale.ROOT,
                        "  mean width: linear %s +- %s, relu %s +- %s (N = %d, w(B^n) = %s)%n",
                        fmt(w.linear()), fmt(w.linearStdErr()), fmt(w.relu()), fmt(w.reluStdErr()), w.samples(),
                        fmt(w.ballWidth())));
            }
            out.append(System.lineSeparator());
        }
        return out.toString();
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "-";
    }
}
