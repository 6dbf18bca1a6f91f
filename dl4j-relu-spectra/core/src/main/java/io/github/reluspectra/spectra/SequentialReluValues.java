package io.github.reluspectra.spectra;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sequential ReLU singular values and vectors (definitions §2):
 * <pre>
 *   x_k = argmax { ||ReLU(A x)|| : ||x|| = 1, x orthogonal to x_1..x_{k-1} },   s_k = ||ReLU(A x_k)||
 * </pre>
 *
 * <p>Algorithm: block locally optimal ascent with locking on the KKT residual. A window
 * {@code X = [x_1 .. x_w]} of orthonormal columns, orthogonal to the vectors {@code Q} locked so far and kept in
 * order of value, moves by two products with A per iteration:
 * <pre>
 *   U = ReLU(A X),  f_j = ||u_j||^2
 *   r_j = P_j(A^T u_j) - f_j x_j          P_j: the complement of [Q, x_1 .. x_{j-1}]   (KKT residual)
 *   x_j <- argmax ||ReLU(A x)|| over unit x in span{x_j, r_j, previous step_j}  (3 x 3, per column)
 *   X <- column-ordered QR(P_Q X)
 * </pre>
 * The three-term step converges at the Krylov rate ({@code 1/sqrt gap} iterations) where the two-term
 * alternating ascent needs {@code 1/gap}. The leading column is locked as the next value once
 * {@code ||r_1|| <= tolerance f_1}: a certified stationary point, whose value is accurate to about
 * {@code tolerance^2}; the columns behind it that also meet the tolerance are locked with it. A column that
 * needs more than {@code maxIterationsPerValue} iterations is locked anyway and reported as not converged.
 * {@code A X} is carried along by linearity and recomputed every few iterations and at every lock.
 *
 * <p>Fact F2 ({@code s_k >= sigma_k / sqrt 2}) is checked for every value before it is locked; a leading
 * column that misses it restarts from the better of {@code +-v}, {@code v} the top right singular vector of
 * {@code A P_Q}, whose value meets the bound by construction.
 *
 * <p>Deterministic for a seed: the small problems are solved in plain Java (Jacobi for the 3 x 3 eigenvectors,
 * signs fixed), sorts are stable, and starts are warm-start vectors first, then seeded Gaussian ones. The
 * three-term step is that of Knyazev's LOBPCG (SIAM J. Sci. Comput. 23(2), 2001) applied to this problem;
 * docs/algorithms.md describes the whole search.
 */
public final class SequentialReluValues {

    /** A narrow operator is searched again from at most this many seeds. */
    private static final int MAX_ROUNDS = 8;
    /** Each further round's seed: the first's plus this prime times the round. */
    private static final long SEED_STRIDE = 7919L;
    /** Sequences whose values differ by less than this share of the largest are equal, whatever the tolerance. */
    private static final double EQUAL_VALUES = 1e-9;

    private SequentialReluValues() {}

    /** Computes the sequential ReLU singular values of {@code a} ({@code m x n}); the classical ones come along. */
    public static SequentialReluSpectrum compute(INDArray a, SequentialReluOptions options) {
        Matrices.requireOperator(a, "operator");
        return compute(
                LinearOperator.dense(a),
                SingularValues.ofValidated(a),
                options,
                "operator " + a.rows() + "x" + a.columns());
    }

    /**
     * As {@link #compute(INDArray, SequentialReluOptions)}, with the classical singular values of {@code a}
     * already known (for example from the same analysis), which saves one SVD.
     */
    public static SequentialReluSpectrum compute(INDArray a, double[] singularValues, SequentialReluOptions options) {
        Matrices.requireOperator(a, "operator");
        if (singularValues.length != Math.min(a.rows(), a.columns())) {
            throw new IllegalArgumentException(
                    "expected " + Math.min(a.rows(), a.columns()) + " singular values, got " + singularValues.length);
        }
        return compute(LinearOperator.dense(a), singularValues, options, "operator " + a.rows() + "x" + a.columns());
    }

    /**
     * The matrix-free search: {@code a} is used only through products with blocks of vectors.
     *
     * @param singularValues the largest classical singular values of {@code a}, largest first (at least the
     *                       first; F2 is checked for the values that have one)
     * @param label          how progress lines name the operator, for example a layer's description
     */
    public static SequentialReluSpectrum compute(
            LinearOperator a, double[] singularValues, SequentialReluOptions options, String label) {
        if (singularValues.length == 0) {
            throw new IllegalArgumentException("at least the largest singular value of the operator is needed");
        }
        long start = System.nanoTime();
        // s(cA) = c s(A): the search runs at entries of order 1 (exact powers of two) and scales back.
        double c = a.unitScale();
        LinearOperator scaled = c == 1 ? a : a.scaled(c);
        double[] sigma = Matrices.scaled(singularValues, c);
        int n = Math.toIntExact(a.columns());
        // Starts in one window are orthonormal, so a narrow operator (n below the starts asked for) gets few of
        // them: it is searched again from other seeds and the lexicographically largest sequence wins.
        int starts = Math.min(options.topK(), options.blockSize()) + options.spareStarts();
        int rounds = Math.min(MAX_ROUNDS, (starts + n - 1) / n);
        SequentialSearch best = null;
        int iterations = 0;
        for (int round = 0; round < rounds; round++) {
            SequentialReluOptions seeded = round == 0
                    ? options
                    : options.toBuilder()
                            .seed(options.seed() + SEED_STRIDE * round)
                            .build();
            SequentialSearch candidate = new SequentialSearch(scaled, sigma, seeded, label, start);
            candidate.run();
            iterations += candidate.iterations();
            if (best == null || largerSequence(candidate.values(), best.values(), options.tolerance())) {
                best = candidate;
            }
        }
        return best.result(singularValues, 1 / c, iterations, (System.nanoTime() - start) / 1e9, options);
    }

    /**
     * Lexicographic comparison, values within the tolerance of each other counting as equal: later values inherit
     * the earlier vectors' error (about the tolerance), so closer differences say nothing.
     */
    private static boolean largerSequence(double[] x, double[] y, double tolerance) {
        double scale = Math.max(Matrices.largest(x), Matrices.largest(y));
        for (int k = 0; k < x.length; k++) {
            if (Math.abs(x[k] - y[k]) > Math.max(EQUAL_VALUES, tolerance) * scale) {
                return x[k] > y[k];
            }
        }
        return false;
    }
}
