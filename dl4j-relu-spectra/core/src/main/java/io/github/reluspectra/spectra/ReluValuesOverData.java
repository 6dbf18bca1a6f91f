package io.github.reluspectra.spectra;

import java.io.Serializable;
import java.util.List;

/**
 * The ReLU singular values of a layer over a set of inputs (definitions §2b), one {@link RankFit} per rank asked for,
 * in increasing rank.
 *
 * @param samples how many inputs {@code X} held
 * @param fits    one fit per rank, increasing
 * @param seconds wall time of the computation
 */
public record ReluValuesOverData(int samples, List<RankFit> fits, double seconds) implements Serializable {

    public ReluValuesOverData {
        fits = List.copyOf(fits);
    }

    public int[] ranks() {
        return fits.stream().mapToInt(RankFit::rank).toArray();
    }

    /** {@code s_{k,X}} per rank (upper bounds). */
    public double[] values() {
        return fits.stream().mapToDouble(RankFit::value).toArray();
    }

    public double[] rms() {
        return fits.stream().mapToDouble(RankFit::rms).toArray();
    }

    public double[] svdValues() {
        return fits.stream().mapToDouble(RankFit::svdValue).toArray();
    }

    public double[] sigmaBounds() {
        return fits.stream().mapToDouble(RankFit::sigmaBound).toArray();
    }

    /** The fit of rank {@code k}, or null if {@code k} was not computed. */
    public RankFit fit(int k) {
        return fits.stream().filter(f -> f.rank() == k).findFirst().orElse(null);
    }

    /**
     * The smallest computed rank whose value is at most {@code fraction} of the rank-0 value
     * ({@code s_{k,X} <= fraction * s_{0,X}}), or the largest computed rank if none is.
     */
    public int smallestRankWithin(double fraction) {
        double s0 = fits.get(0).value();
        return fits.stream()
                .filter(f -> f.value() <= fraction * s0)
                .mapToInt(RankFit::rank)
                .findFirst()
                .orElse(fits.get(fits.size() - 1).rank());
    }

    @Override
    public String toString() {
        return "ReluValuesOverData[samples=" + samples + ", ranks=" + java.util.Arrays.toString(ranks()) + ", values="
                + java.util.Arrays.toString(values()) + "]";
    }
}
