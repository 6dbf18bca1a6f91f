package io.github.reluspectra.spectra;

import java.io.Serializable;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The largest classical singular values of an operator found by block Krylov iteration, with what certifies them.
 *
 * @param values     {@code sigma_1 >= .. >= sigma_k}
 * @param residuals  per value {@code ||A^T A v_k - sigma_k^2 v_k|| / sigma_k^2} of its Ritz vector: an
 *                   eigenvalue of {@code A^T A} lies within this relative distance of {@code sigma_k^2} (0 for
 *                   values computed by LAPACK)
 * @param iterations products with {@code A} and {@code A^T} taken, a block of columns each
 * @param converged  whether every residual met the tolerance
 * @param tolerance  the relative residual asked for
 * @param vectors    the right singular vectors found ({@code n x k}, columns in the order of the values), the
 *                   warm start of the next analysis; null for values computed by LAPACK
 */
public record TopSingularValues(
        double[] values, double[] residuals, int iterations, boolean converged, double tolerance, INDArray vectors)
        implements Serializable {

    /** The arrays are copied in and out, as in every result record. */
    public TopSingularValues {
        values = values.clone();
        residuals = residuals.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public double[] residuals() {
        return residuals.clone();
    }

    /** The largest residual (0 for none). */
    public double maxResidual() {
        return Arrays.stream(residuals).max().orElse(0);
    }

    @Override
    public String toString() {
        return "TopSingularValues[" + Arrays.toString(values) + ", " + iterations + " iterations, "
                + (converged ? "converged" : "NOT converged") + ", max residual " + maxResidual() + "]";
    }
}
