package io.github.reluspectra.spectra;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ReLU singular values of an operator {@code A} (SPEC §2) with what produced them.
 *
 * @param values         {@code s_1 >= s_2 >= ...}, the top K ReLU singular values
 * @param vectors        {@code n x K}, column k the k-th ReLU singular vector (orthonormal columns)
 * @param singularValues all classical singular values of {@code A}, for comparison ({@code s_k >= sigma_k/sqrt 2})
 * @param iterations     ascent iterations used, summed over blocks
 * @param converged      false if some block stopped at the iteration cap
 * @param options        the options used
 */
public record SequentialReluSpectrum(double[] values, INDArray vectors, double[] singularValues, int iterations,
                           boolean converged, SequentialReluOptions options) {

    public int size() {
        return values.length;
    }

    /** {@code s_k / sigma_k} for k = 1..K (NaN where {@code sigma_k = 0}). */
    public double[] ratios() {
        double[] r = new double[values.length];
        for (int k = 0; k < r.length; k++) {
            double sigma = k < singularValues.length ? singularValues[k] : 0;
            r[k] = values[k] / sigma;
        }
        return r;
    }
}
