package io.github.reluspectra.spark;

import io.github.reluspectra.spectra.ReplacementError;
import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per layer and fit, the largest per-sample error, the sum of squared errors and the count: what each partition
 * returns and the driver adds up (a max and two sums, so the order of the partitions does not matter).
 */
final class ErrorTally implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final Map<String, double[]> max = new LinkedHashMap<>();
    private final Map<String, double[]> squares = new LinkedHashMap<>();
    private long samples;

    void add(String layer, int fit, int fits, double[] errors) {
        double[] m = max.computeIfAbsent(layer, k -> new double[fits]);
        m[fit] = Math.max(m[fit], ReplacementError.max(errors));
        squares.computeIfAbsent(layer, k -> new double[fits])[fit] += ReplacementError.sumOfSquares(errors);
    }

    void count(long n) {
        samples += n;
    }

    ErrorTally merge(ErrorTally other) {
        other.max.forEach((layer, m) -> {
            double[] mine = max.computeIfAbsent(layer, k -> new double[m.length]);
            for (int i = 0; i < m.length; i++) {
                mine[i] = Math.max(mine[i], m[i]);
            }
        });
        other.squares.forEach((layer, s) -> {
            double[] mine = squares.computeIfAbsent(layer, k -> new double[s.length]);
            for (int i = 0; i < s.length; i++) {
                mine[i] += s[i];
            }
        });
        samples += other.samples;
        return this;
    }

    long samples() {
        return samples;
    }

    double[] max(String layer) {
        return max.get(layer);
    }

    double[] rms(String layer) {
        double[] s = squares.get(layer);
        double[] out = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = Math.sqrt(s[i] / Math.max(samples, 1));
        }
        return out;
    }
}
