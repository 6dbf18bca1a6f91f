package io.github.reluspectra.ui;

import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.Failure;
import io.github.reluspectra.results.LayerAnalysis;
import io.github.reluspectra.results.SeparationScore;
import io.github.reluspectra.spectra.MeanWidth;
import io.github.reluspectra.spectra.ReluValuesOverData;
import io.github.reluspectra.spectra.SpectralMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the page draws of a record, as plain numbers (no vectors, no fits): maps and lists that Vert.x writes as
 * JSON. Non-finite numbers become null, which JSON can carry.
 */
final class RecordJson {

    private RecordJson() {}

    static Map<String, Object> spectra(EpochSpectra e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("network", e.network());
        out.put("epoch", e.epoch());
        out.put("iteration", e.iteration());
        out.put("seconds", e.seconds());
        List<Object> layers = new ArrayList<>();
        for (LayerAnalysis a : e.layers()) {
            layers.add(layer(a));
        }
        out.put("layers", layers);
        out.put("failures", e.failures().stream().map(Failure::toString).toList());
        out.put("skipped", List.copyOf(e.skipped()));
        return out;
    }

    private static Map<String, Object> layer(LayerAnalysis a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", a.name());
        out.put("kind", a.kind().name());
        out.put("activation", a.activation());
        out.put("nIn", a.nIn());
        out.put("nOut", a.nOut());
        out.put("singularValues", numbers(a.singularValues()));
        if (a.sequential() != null) {
            out.put("sequential", numbers(a.sequential().values()));
            out.put("reluRatios", numbers(a.reluRatios()));
        }
        MeanWidth w = a.width();
        if (w != null) {
            Map<String, Object> width = new LinkedHashMap<>();
            width.put("relu", number(w.relu()));
            width.put("linear", number(w.linear()));
            out.put("width", width);
        }
        ReluValuesOverData d = a.overData();
        if (d != null) {
            Map<String, Object> overData = new LinkedHashMap<>();
            overData.put("samples", d.samples());
            overData.put("ranks", d.ranks());
            overData.put("values", numbers(d.values()));
            overData.put("svdValues", numbers(d.svdValues()));
            overData.put("sigmaBounds", numbers(d.sigmaBounds()));
            out.put("overData", overData);
        }
        SpectralMetrics m = a.spectralMetrics();
        if (m != null) {
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("alpha", number(m.alpha()));
            metrics.put("alphaStdErr", number(m.alphaStdErr()));
            metrics.put("ksDistance", number(m.ksDistance()));
            metrics.put("weightedAlpha", number(m.weightedAlpha()));
            metrics.put("logSpectralNorm", number(m.logSpectralNorm()));
            metrics.put("logAlphaNorm", number(m.logAlphaNorm()));
            metrics.put("stableRank", number(m.stableRank()));
            out.put("metrics", metrics);
        }
        return out;
    }

    static Map<String, Object> separation(EpochSeparation e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("network", e.network());
        out.put("epoch", e.epoch());
        out.put("samples", e.samples());
        out.put("misclassified", e.misclassified());
        out.put("msp", e.msp() == null ? null : number(e.msp().auroc()));
        List<Object> scores = new ArrayList<>();
        for (SeparationScore s : e.scores()) {
            Map<String, Object> score = new LinkedHashMap<>();
            score.put("layer", s.layer());
            score.put("measure", s.measure());
            score.put("auroc", number(s.auroc()));
            score.put("direction", s.direction());
            scores.add(score);
        }
        out.put("scores", scores);
        out.put("failures", e.failures().stream().map(Failure::toString).toList());
        out.put("skipped", List.copyOf(e.skipped()));
        return out;
    }

    private static Double number(double x) {
        return Double.isFinite(x) ? x : null;
    }

    private static List<Double> numbers(double[] xs) {
        List<Double> out = new ArrayList<>(xs.length);
        for (double x : xs) {
            out.add(number(x));
        }
        return out;
    }
}
