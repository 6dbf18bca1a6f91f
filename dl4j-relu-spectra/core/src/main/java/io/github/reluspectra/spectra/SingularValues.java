package io.github.reluspectra.spectra;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Classical singular values: through ND4J's LAPACK ({@code ?gesvd}) for matrices, by block Krylov iteration for
 * operators; with vectors through the Gram matrix's eigenproblem ({@link SymmetricEigen}).
 */
public final class SingularValues {

    /** The relative residual to which {@link #top(LinearOperator, int, long)} certifies an operator's values. */
    public static final double TOLERANCE = 1e-6;
    /** Iterations after which {@link #top(LinearOperator, int, long)} stops and reports non-convergence. */
    public static final int MAX_ITERATIONS = 2000;

    private SingularValues() {}

    /** {@link #top(LinearOperator, int, double, int, long)} to {@link #TOLERANCE}, at most {@link #MAX_ITERATIONS}. */
    public static TopSingularValues top(LinearOperator a, int k, long seed) {
        return top(a, k, TOLERANCE, MAX_ITERATIONS, seed, null);
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
        public RightSingular {
            values = values.clone();
        }

        @Override
        public double[] values() {
            return values.clone();
        }
    }

    /**
     * The singular values of {@code a} and its right singular vectors, from the symmetric eigenproblem of the
     * Gram matrix {@code A^T A = V Sigma^2 V^T} in double precision (LAPACK {@code ?syev}; ND4J's {@code ?gesvd}
     * with vectors took 1.3-1.9 s for a 784 x 512 or 500 x 512 matrix where this takes 0.1 s). Squaring costs
     * accuracy where it does not matter here: a value is exact to about {@code sqrt(eps) sigma_1} (1e-8
     * sigma_1) and the vectors of well-separated values to rounding; the vectors stay orthonormal.
     */
    public static RightSingular withRightVectors(INDArray a) {
        Matrices.requireOperator(a, "operator");
        int k = (int) Math.min(a.rows(), a.columns());
        INDArray d = a.castTo(DataType.DOUBLE);
        SymmetricEigen.Decomposition gram = SymmetricEigen.descending(Nd4j.gemm(d, d, true, false));
        double[] values = new double[k];
        for (int j = 0; j < k; j++) {
            values[j] = Math.sqrt(Math.max(gram.values()[j], 0));
        }
        INDArray v = gram.vectors()
                .get(NDArrayIndex.all(), NDArrayIndex.interval(0, k))
                .castTo(a.dataType())
                .dup('f');
        return new RightSingular(values, v);
    }

    /**
     * The {@code k} largest singular values of an operator (fewer if it has fewer), largest first. A dense matrix
     * gets LAPACK's; any other operator restarted block Krylov iteration ({@link BlockKrylov}) until every value's
     * relative residual {@code ||A^T A v_k - sigma_k^2 v_k|| / sigma_k^2} is at most {@code tolerance} (a
     * certificate: an eigenvalue of {@code A^T A} lies that close to {@code sigma_k^2}), after at most
     * {@code maxIterations} products with the block, and to no tighter tolerance than the operator's
     * {@link Precision#krylovTolerance(double) precision} allows.
     *
     * @param warmStart starting vectors ({@code n x j}, for example the last analysis's
     *                  {@link TopSingularValues#vectors()}), or null
     */
    public static TopSingularValues top(
            LinearOperator a, int k, double tolerance, int maxIterations, long seed, INDArray warmStart) {
        int count = (int) Math.min(k, Math.min(a.rows(), a.columns()));
        if (a instanceof DenseOperator dense) {
            return new TopSingularValues(
                    java.util.Arrays.copyOf(dense.singularValues(), count),
                    new double[count],
                    0,
                    true,
                    tolerance,
                    null);
        }
        double asked = Precision.of(a.dataType()).krylovTolerance(tolerance);
        // sigma(cA) = c sigma(A): iterate at entries of order 1 and scale back
        double c = a.unitScale();
        TopSingularValues scaled =
                BlockKrylov.top(c == 1 ? a : a.scaled(c), count, asked, maxIterations, seed, warmStart);
        return new TopSingularValues(
                Matrices.scaled(scaled.values(), 1 / c),
                scaled.residuals(),
                scaled.iterations(),
                scaled.converged(),
                asked,
                scaled.vectors());
    }

    /** As {@link #top(LinearOperator, int, double, int, long, INDArray)} from seeded random vectors. */
    public static TopSingularValues top(LinearOperator a, int k, double tolerance, int maxIterations, long seed) {
        return top(a, k, tolerance, maxIterations, seed, null);
    }
}
