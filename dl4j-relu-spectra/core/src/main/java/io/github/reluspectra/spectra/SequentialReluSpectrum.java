package io.github.reluspectra.spectra;

import java.io.Serializable;
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
                           boolean converged, SequentialReluOptions options) implements Serializable {

    public int size() {
        return values.length;
    }

    @Override
    public String toString() {
        return "SequentialReluSpectrum[values=" + java.util.Arrays.toString(values) + ", iterations=" + iterations
                + ", converged=" + converged + "]";
    }
}
