package io.github.reluspectra.spectra;

import java.io.Serializable;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sequential ReLU singular values of an operator {@code A} (definitions §2) with what produced them and how far each
 * can be trusted. Per-value arrays are in the order of {@code values}.
 *
 * @param values          {@code s_1 >= s_2 >= ...}, the top K sequential ReLU singular values
 * @param vectors         {@code n x K}, column k the k-th ReLU singular vector (orthonormal columns)
 * @param singularValues  the classical singular values of {@code A} known to the search (all of them for a
 *                        matrix), for comparison ({@code s_k >= sigma_k / sqrt 2})
 * @param iterations      iterations of the whole search
 * @param converged       whether every value converged
 * @param residuals       per value, its KKT residual {@code ||P_k(A^T u_k) - s_k^2 x_k|| / s_k^2} when locked
 * @param valueIterations per value, the iterations from the previous lock to its own
 * @param valueConverged  per value, whether its residual reached the tolerance (false: it hit
 *                        {@code maxIterationsPerValue} and may be below its local maximum)
 * @param lockingOrder    the vectors in the order they were locked: the warm start of a later search
 * @param seconds         wall time of the search
 * @param options         the options used
 */
public record SequentialReluSpectrum(
        double[] values,
        INDArray vectors,
        double[] singularValues,
        int iterations,
        boolean converged,
        double[] residuals,
        int[] valueIterations,
        boolean[] valueConverged,
        INDArray lockingOrder,
        double seconds,
        SequentialReluOptions options)
        implements Serializable {

    /** The arrays are copied in and out: a record handed to sinks and threads cannot be changed through them. */
    public SequentialReluSpectrum {
        values = values.clone();
        singularValues = singularValues.clone();
        residuals = residuals.clone();
        valueIterations = valueIterations.clone();
        valueConverged = valueConverged.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public double[] singularValues() {
        return singularValues.clone();
    }

    @Override
    public double[] residuals() {
        return residuals.clone();
    }

    @Override
    public int[] valueIterations() {
        return valueIterations.clone();
    }

    @Override
    public boolean[] valueConverged() {
        return valueConverged.clone();
    }

    public int size() {
        return values.length;
    }

    /** How many values did not converge. */
    public int unconverged() {
        int count = 0;
        for (boolean c : valueConverged) {
            count += c ? 0 : 1;
        }
        return count;
    }

    @Override
    public String toString() {
        return "SequentialReluSpectrum[values=" + Arrays.toString(values) + ", iterations=" + iterations
                + ", converged=" + converged + (converged ? "" : " (" + unconverged() + " values not)") + "]";
    }
}
