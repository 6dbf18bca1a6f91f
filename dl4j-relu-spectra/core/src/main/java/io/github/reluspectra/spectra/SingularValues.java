package io.github.reluspectra.spectra;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Classical singular values: through ND4J's LAPACK ({@code ?gesvd}) for matrices, by subspace iteration for operators. */
public final class SingularValues {

    /** Columns beyond the k wanted in the subspace iteration: they speed up the k-th value's convergence. */
    private static final int SUBSPACE_SPARE = 8;

    private SingularValues() {
    }

    /**
     * All {@code min(m, n)} singular values of {@code a}, largest first.
     *
     * @throws IllegalArgumentException if {@code a} is not a finite, non-empty FLOAT or DOUBLE matrix
     */
    public static double[] of(INDArray a) {
        Matrices.requireOperator(a, "operator");
        return ofValidated(a);
    }

    static double[] ofValidated(INDArray a) {
        // LAPACK overwrites its input and reads the buffer from its start, so it gets a fresh dense copy.
        INDArray work = a.dup('f');
        INDArray s = Nd4j.create(a.dataType(), Math.min(a.rows(), a.columns()));
        Nd4j.getBlasWrapper().lapack().gesvd(work, s, null, null);
        return s.toDoubleVector();
    }

    /**
     * Singular values with their right singular vectors.
     *
     * @param values  all {@code min(m, n)} singular values, largest first
     * @param vectors {@code n x min(m, n)}: column k is the right singular vector of {@code values[k]}
     */
    public record RightSingular(double[] values, INDArray vectors) {
    }

    /** The singular values of {@code a} and its right singular vectors (LAPACK {@code ?gesvd}). */
    public static RightSingular withRightVectors(INDArray a) {
        Matrices.requireOperator(a, "operator");
        INDArray work = a.dup('f');
        long n = a.columns();
        int k = (int) Math.min(a.rows(), n);
        INDArray s = Nd4j.create(a.dataType(), k);
        INDArray vt = Nd4j.create(a.dataType(), new long[] {n, n}, 'f');
        Nd4j.getBlasWrapper().lapack().gesvd(work, s, null, vt);
        INDArray v = vt.get(NDArrayIndex.interval(0, k), NDArrayIndex.all()).transpose().dup('f');
        return new RightSingular(s.toDoubleVector(), v);
    }

    /**
     * The {@code k} largest singular values of an operator (fewer if it has fewer), largest first. A dense matrix
     * gets LAPACK's; any other operator block subspace iteration on {@code A^T A} with a Rayleigh-Ritz step per
     * iteration ({@code k + 8} columns), until the k values move by at most {@code tolerance} relative to the
     * largest between iterations, at most {@code maxIterations} times.
     */
    public static double[] top(LinearOperator a, int k, double tolerance, int maxIterations, long seed) {
        int count = (int) Math.min(k, Math.min(a.rows(), a.columns()));
        if (a instanceof DenseOperator dense) {
            return java.util.Arrays.copyOf(dense.singularValues(), count);
        }
        int width = (int) Math.min(count + SUBSPACE_SPARE, a.columns());
        INDArray q;
        try (Gaussians rng = new Gaussians(seed)) {
            q = rng.sample(a.dataType(), a.columns(), width);
        }
        Matrices.orthonormalizeColumns(q);
        double[] previous = null;
        for (int iteration = 0; iteration < maxIterations; iteration++) {
            INDArray y = a.apply(q);
            // Rayleigh-Ritz: the SVD of A Q = U S W^T gives the best values in span(Q) and Q W their vectors.
            RightSingular ritz = withRightVectors(y.dup('f'));
            double[] values = ritz.values();
            q = q.mmul(ritz.vectors());
            if (previous != null && converged(previous, values, count, tolerance)) {
                return java.util.Arrays.copyOf(values, count);
            }
            previous = values;
            q = a.applyTranspose(y.mmul(ritz.vectors()));
            Matrices.orthonormalizeColumns(q);
        }
        return java.util.Arrays.copyOf(previous, count);
    }

    private static boolean converged(double[] previous, double[] values, int count, double tolerance) {
        for (int i = 0; i < count; i++) {
            if (Math.abs(values[i] - previous[i]) > tolerance * values[0]) {
                return false;
            }
        }
        return true;
    }

    /** The top right singular vector of {@code a}, as an {@code n x 1} column. */
    static INDArray topRightVector(INDArray a) {
        return withRightVectors(a).vectors().getColumn(0).dup().reshape(a.columns(), 1);
    }
}
