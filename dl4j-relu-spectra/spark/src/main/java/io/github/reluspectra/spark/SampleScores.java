package io.github.reluspectra.spark;

import io.github.reluspectra.results.MeasureSeconds;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The held-out samples' scores of one or more partitions, in the data's order: the maximum softmax probability,
 * whether the network got the sample wrong, and each layer's measures; what the driver turns into AUROCs.
 */
final class SampleScores implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final List<double[]> msp = new ArrayList<>();
    private final List<boolean[]> wrong = new ArrayList<>();
    /** Keyed by (layer, measure), in the order the listener reports them. */
    private final Map<List<String>, List<double[]>> measures = new LinkedHashMap<>();

    private final Map<List<String>, Double> seconds = new LinkedHashMap<>();

    void addBatch(double[] batchMsp, boolean[] batchWrong) {
        msp.add(batchMsp);
        wrong.add(batchWrong);
    }

    void add(String layer, String measure, double[] values) {
        measures.computeIfAbsent(List.of(layer, measure), k -> new ArrayList<>())
                .add(values);
    }

    void time(List<MeasureSeconds> timings) {
        timings.forEach(t -> seconds.merge(List.of(t.layer(), t.measure()), t.seconds(), Double::sum));
    }

    /** This followed by {@code later}'s samples. */
    SampleScores append(SampleScores later) {
        msp.addAll(later.msp);
        wrong.addAll(later.wrong);
        later.measures.forEach((key, values) ->
                measures.computeIfAbsent(key, k -> new ArrayList<>()).addAll(values));
        later.seconds.forEach((key, s) -> seconds.merge(key, s, Double::sum));
        return this;
    }

    double[] msp() {
        return concat(msp);
    }

    boolean[] wrong() {
        int n = wrong.stream().mapToInt(w -> w.length).sum();
        boolean[] out = new boolean[n];
        int at = 0;
        for (boolean[] w : wrong) {
            System.arraycopy(w, 0, out, at, w.length);
            at += w.length;
        }
        return out;
    }

    /** (layer, measure) -> the values of every sample, in order. */
    Map<List<String>, double[]> measures() {
        Map<List<String>, double[]> out = new LinkedHashMap<>();
        measures.forEach((key, values) -> out.put(key, concat(values)));
        return out;
    }

    /** The executors' seconds per layer and measure, summed over partitions. */
    List<MeasureSeconds> seconds() {
        List<MeasureSeconds> out = new ArrayList<>();
        seconds.forEach((key, s) -> out.add(new MeasureSeconds(key.get(0), key.get(1), s)));
        return out;
    }

    private static double[] concat(List<double[]> parts) {
        double[] out = new double[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
