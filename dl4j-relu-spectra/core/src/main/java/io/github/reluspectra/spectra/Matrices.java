package io.github.reluspectra.spectra;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/** Small dense-matrix helpers shared by the spectral algorithms. */
final class Matrices {

    /** CholQR2 makes columns orthonormal to rounding when the first pass leaves {@code ||G - I||} well below 1. */
    private static final double CHOLQR2_WITHIN = 0.1;
    /** Dependent columns are perturbed by seeded noise of this share of the block's norm... */
    private static final double REFILL = 1e-3;
    /** ...or of this size where the block is zero. */
    private static final double ZERO_BLOCK_NORM = 1e-30;
    /** Perturbations before giving up on a complement too small for the block. */
    private static final int REFILL_ATTEMPTS = 4;

    private Matrices() {}

    /** Checks that {@code a} is a non-empty finite floating-point matrix; {@code what} names it in errors. */
    static void requireOperator(INDArray a, String what) {
        if (a == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (a.rank() != 2) {
            throw new IllegalArgumentException(
                    what + " must be a matrix, but has shape " + java.util.Arrays.toString(a.shape()));
        }
        if (a.rows() == 0 || a.columns() == 0) {
            throw new IllegalArgumentException(what + " is empty (" + a.rows() + " x " + a.columns() + ")");
        }
        if (a.dataType() != DataType.DOUBLE && a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException(what + " must be FLOAT or DOUBLE, not " + a.dataType());
        }
        requireFinite(a, what);
    }

    static void requireFinite(INDArray a, String what) {
        if (BooleanIndexing.or(a, Conditions.isNan())) {
            throw new IllegalArgumentException(what + " contains NaN values");
        }
        if (BooleanIndexing.or(a, Conditions.isInfinite())) {
            throw new IllegalArgumentException(what + " contains infinite values");
        }
    }

    /**
     * Replaces the columns of {@code z} (in place) by an orthonormal basis of their span, column by column
     * as Gram-Schmidt would: column j becomes the normalised part of z_j orthogonal to z_1..z_{j-1}, with
     * {@code <q_j, z_j> > 0}.
     *
     * <p>Cholesky QR twice: {@code G = Z^T Z = R^T R}, {@code Z <- Z R^-1}; the small Cholesky runs on the
     * {@code c x c} Gram matrix, the large work is two GEMMs. Where a column depends on earlier ones (the
     * Cholesky pivot vanishes), Householder QR takes over and completes the basis with its own choice.
     *
     * @return true if every column of z contributed a new direction
     */
    static boolean orthonormalizeColumns(INDArray z) {
        return orthonormalizeColumns(z, Nd4j.create(z.dataType(), z.shape(), 'f'), 0);
    }

    /**
     * As {@link #orthonormalizeColumns(INDArray)}, with a caller-owned buffer of z's shape and the largest
     * column norm z had before a projection: what the projection reduced to rounding noise counts as lost.
     */
    static boolean orthonormalizeColumns(INDArray z, INDArray scratch, double scaleBeforeProjection) {
        int c = Math.toIntExact(z.columns());
        for (int pass = 0; pass < 2; pass++) {
            // The Gram matrix is symmetric, so its buffer reads the same in either order.
            double[] gram = Nd4j.gemm(z, z, true, false).dup('f').data().asDouble();
            if (pass == 1 && !SmallDense.nearIdentity(gram, c, CHOLQR2_WITHIN)) {
                // The first pass lost orthogonality (kappa^2 eps near 1): a second one would not restore it.
                householder(z);
                return false;
            }
            double reference = pass == 0 ? scaleBeforeProjection * scaleBeforeProjection : 0;
            double[] inverse = inverseCholeskyFactor(gram, c, z.dataType(), reference);
            if (inverse == null) {
                householder(z);
                return false;
            }
            INDArray rInverse = Nd4j.create(inverse, new long[] {c, c}, 'f').castTo(z.dataType());
            Nd4j.gemm(z, rInverse, scratch, false, false, 1.0, 0.0);
            z.assign(scratch);
        }
        return true;
    }

    /**
     * {@code R^-1} for the upper Cholesky factor of {@code G = Z^T Z}, or null where a squared pivot falls to the
     * rounding floor of {@code max(reference, max G_jj)} (the columns behind G are dependent).
     */
    private static double[] inverseCholeskyFactor(double[] gram, int c, DataType type, double reference) {
        double largest = reference;
        for (int i = 0; i < c; i++) {
            largest = Math.max(largest, gram[i * c + i]);
        }
        return SmallDense.inverseCholesky(gram, c, Precision.of(type).roundingFloor() * largest, 0);
    }

    /**
     * Orthonormalises the columns of x in order, orthogonal to {@code frozen} (or null); where columns turn out
     * dependent, perturbs the block with seeded noise of {@value #REFILL} of its norm and tries again.
     *
     * @throws IllegalStateException if {@value #REFILL_ATTEMPTS} attempts fail (the complement is too small)
     */
    static void orthonormalizeComplement(INDArray x, INDArray frozen, Gaussians rng) {
        for (int attempt = 0; attempt < REFILL_ATTEMPTS; attempt++) {
            double scale = x.norm2(0).maxNumber().doubleValue();
            projectOut(x, frozen);
            if (orthonormalizeColumns(x, Nd4j.create(x.dataType(), x.shape(), 'f'), scale)) {
                // One more projection: rounding in the QR reintroduces a trace of the span projected out.
                projectOut(x, frozen);
                if (orthonormalizeColumns(x)) {
                    return;
                }
            }
            x.addi(rng.sample(x.dataType(), x.shape())
                    .muli(REFILL * Math.max(ZERO_BLOCK_NORM, x.norm2Number().doubleValue())));
        }
        throw new IllegalStateException("could not build " + x.columns() + " orthonormal vectors in the "
                + "complement of the vectors already found (dimension " + x.rows() + ")");
    }

    /** Householder QR in place, signs fixed so that {@code <q_j, z_j> >= 0}. */
    private static void householder(INDArray z) {
        int c = Math.toIntExact(z.columns());
        INDArray r = Nd4j.create(z.dataType(), c, c);
        Nd4j.getBlasWrapper().lapack().geqrf(z, r);
        double[] diag = Nd4j.diag(r).toDoubleVector();
        double[] signs = new double[c];
        for (int j = 0; j < c; j++) {
            signs[j] = diag[j] < 0 ? -1 : 1;
        }
        z.muliRowVector(Nd4j.createFromArray(signs).castTo(z.dataType()));
    }

    /** {@code x <- x - Q (Q^T x)}: removes from the columns of x their components in span(Q). */
    static void projectOut(INDArray x, INDArray q) {
        if (q == null || q.columns() == 0) {
            return;
        }
        INDArray coefficients = Nd4j.gemm(q, x, true, false);
        Nd4j.gemm(q, coefficients, x, false, false, -1.0, 1.0);
    }

    /**
     * {@code out = X Pi}: column j of out is column {@code order[j]} of x. A GEMM with the permutation matrix
     * is exact and, unlike indexed gets, safe on either memory order.
     */
    static void permuteColumns(INDArray x, int[] order, INDArray out) {
        int c = order.length;
        double[] permutation = new double[c * c];
        for (int j = 0; j < c; j++) {
            permutation[j * c + order[j]] = 1; // column j of Pi is e_{order[j]} (column-major)
        }
        INDArray pi = Nd4j.create(permutation, new long[] {c, c}, 'f').castTo(x.dataType());
        Nd4j.gemm(x, pi, out, false, false, 1.0, 0.0);
    }

    static double largest(double[] values) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    /**
     * {@code 2^-e} with {@code 2^e <= max |a_ij| < 2^(e+1)} (1 for a zero matrix). Every quantity of a layer is
     * positively homogeneous ({@code s(cA) = c s(A)}), so it is computed on {@code a} times this factor, whose
     * largest entry lies in [1, 2), and scaled back: squares of entries near 1e156 would overflow and those of
     * entries near 1e-200 underflow. A power of two scales without rounding.
     */
    static double unitScale(INDArray a) {
        double max = a.amaxNumber().doubleValue();
        return max > 0 && Double.isFinite(max) ? Math.scalb(1.0, -Math.getExponent(max)) : 1;
    }

    /** {@code a} times {@link #unitScale(INDArray) c}: {@code a} itself when c is 1, else a scaled copy. */
    static INDArray scaled(INDArray a, double c) {
        return c == 1 ? a : a.mul(c);
    }

    static double[] scaled(double[] values, double c) {
        double[] out = new double[values.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = values[k] * c;
        }
        return out;
    }
}
