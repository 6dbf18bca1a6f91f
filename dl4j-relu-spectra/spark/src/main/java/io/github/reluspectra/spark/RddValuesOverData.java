package io.github.reluspectra.spark;

import io.github.reluspectra.spectra.ReluValuesOverData;
import java.io.Serializable;

/**
 * One ReLU layer's values over data with the fit on a sample and the error over a whole RDD (definitions §2b).
 * For each rank {@code k} of the sample's ladder, with the fit {@code W M} found on the sample:
 * <pre>
 *   max_k = max over the RDD's inputs x of ||ReLU(Ax+b) - ReLU(WMx+b)||,   rms_k = the root mean square of the same
 * </pre>
 * {@code max_k} bounds {@code s_{k,X}} over the whole RDD from above (a rank-k replacement attains it), as the
 * sample's value bounds it over the sample; {@code max_0 = s_{0,X}} over the RDD exactly.
 *
 * @param layer     the layer's name
 * @param sampleFit the values over data on the driver's sample, with their fits
 * @param samples   how many inputs the RDD had
 * @param max       {@code max_k}, one per fit of {@code sampleFit}, in its order
 * @param rms       {@code rms_k}, likewise
 * @param seconds   wall time of the distributed pass (all layers share it)
 */
public record RddValuesOverData(
        String layer, ReluValuesOverData sampleFit, long samples, double[] max, double[] rms, double seconds)
        implements Serializable {

    public RddValuesOverData {
        max = max.clone();
        rms = rms.clone();
    }

    @Override
    public double[] max() {
        return max.clone();
    }

    @Override
    public double[] rms() {
        return rms.clone();
    }

    /** The ranks, as {@link ReluValuesOverData#ranks()}. */
    public int[] ranks() {
        return sampleFit.ranks();
    }
}
