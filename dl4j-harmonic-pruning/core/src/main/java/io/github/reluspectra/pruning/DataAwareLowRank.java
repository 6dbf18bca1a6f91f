package io.github.reluspectra.pruning;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The closed-form data-aware low-rank replacements of a dense layer {@code x -> act(A x + b)} that harmonic
 * pruning is measured against (definitions §6, P4): one eigendecomposition or scaling and one SVD per layer.
 */
final class DataAwareLowRank {

    /**
     * Directions of the inputs whose variance is below this fraction of the largest are not whitened: the inputs
     * do not reach them (MNIST's border pixels are always 0), so no fit can be judged there.
     */
    static final double UNREACHED = 1e-10;
    /** ASVD's exponent of the mean magnitude (Yuan et al.'s default). */
    static final double ACTIVATION_ALPHA = 0.5;

    /** A rank-r replacement {@code act(W M x + bias)}. */
    record Factors(INDArray w, INDArray m, INDArray bias) {
    }

    private DataAwareLowRank() {
    }

    /**
     * Whitened: with {@code X_c = X - 1 mu^T} and {@code X_c^T X_c = Q Lambda Q^T} (directions the inputs reach),
     * {@code S = Q Lambda^(1/2)} gives {@code ||(A - L) X_c^T||_F = ||(A - L) S||_F}, minimised over rank r by
     * {@code L S = U_r Sigma_r V_r^T}, the truncated SVD of {@code A S}:
     * <pre>
     *   W = U_r Sigma_r,   M = V_r^T Lambda^(-1/2) Q^T,   bias = b + (A - W M) mu
     * </pre>
     * so that the mean input gives the layer's own pre-activation. A layer without a bias has nowhere to fold
     * the mean: its inputs are not centred ({@code mu = 0}).
     *
     * @param a {@code m x n}, {@code b} m entries or null, {@code x} the layer's inputs, one per row
     */
    static Factors whitened(INDArray a, INDArray b, INDArray x, int r) {
        INDArray mu = b == null ? Nd4j.zeros(x.dataType(), 1, x.columns()) : x.mean(0).reshape(1, x.columns());
        INDArray centred = x.subRowVector(mu);
        INDArray gram = centred.transpose().mmul(centred);
        // Eigen overwrites the Gram with its eigenvectors, eigenvalues in increasing order.
        INDArray lambda = Eigen.symmetricGeneralizedEigenvalues(gram, true);
        double largest = lambda.maxNumber().doubleValue();
        int first = firstAbove(lambda.toDoubleVector(), UNREACHED * largest);
        INDArray q = gram.get(NDArrayIndex.all(), NDArrayIndex.interval(first, x.columns())).dup();
        INDArray root = Transforms.sqrt(lambda.get(NDArrayIndex.interval(first, x.columns())), true)
                .reshape(1, x.columns() - first);
        INDArray s = q.mulRowVector(root);
        Truncated t = truncated(a.mmul(s), r);
        INDArray m = t.vt().divRowVector(root).mmul(q.transpose());
        return new Factors(t.w(), m, b == null ? null : foldedBias(a, b, t.w(), m, mu));
    }

    /**
     * Activation-scaled: {@code D = diag(mean |x_j|)^alpha}; {@code A D = U Sigma V^T} truncated at r,
     * {@code W = U_r Sigma_r}, {@code M = V_r^T D^-1} (0 where the inputs are always 0); the bias is kept.
     */
    static Factors activationScaled(INDArray a, INDArray b, INDArray x, int r) {
        INDArray scale = Transforms.pow(Transforms.abs(x, true).mean(0), ACTIVATION_ALPHA, false)
                .reshape(1, x.columns());
        Truncated t = truncated(a.mulRowVector(scale), r);
        INDArray inverse = Transforms.pow(scale, -1, true);
        BooleanIndexing.replaceWhere(inverse, 0.0, Conditions.isInfinite());
        return new Factors(t.w(), t.vt().mulRowVector(inverse), b == null ? null : b.dup());
    }

    /** {@code U_r Sigma_r} and {@code V_r^T} of the truncated SVD of {@code c}. */
    private record Truncated(INDArray w, INDArray vt) {
    }

    private static Truncated truncated(INDArray c, int r) {
        long m = c.rows();
        long p = c.columns();
        int k = (int) Math.min(r, Math.min(m, p));
        INDArray work = c.dup('f');
        INDArray sigma = Nd4j.create(c.dataType(), Math.min(m, p));
        INDArray u = Nd4j.create(c.dataType(), new long[] {m, m}, 'f');
        INDArray vt = Nd4j.create(c.dataType(), new long[] {p, p}, 'f');
        Nd4j.getBlasWrapper().lapack().gesvd(work, sigma, u, vt);
        INDArray uk = u.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k))
                .mulRowVector(sigma.get(NDArrayIndex.interval(0, k)).reshape(1, k));
        return new Truncated(uk.dup(), vt.get(NDArrayIndex.interval(0, k), NDArrayIndex.all()).dup());
    }

    /** {@code b + (A - W M) mu}. */
    private static INDArray foldedBias(INDArray a, INDArray b, INDArray w, INDArray m, INDArray mu) {
        return b.reshape(a.rows()).add(a.sub(w.mmul(m)).mmul(mu.transpose()).reshape(a.rows()));
    }

    private static int firstAbove(double[] increasing, double threshold) {
        int i = 0;
        while (i < increasing.length - 1 && increasing[i] <= threshold) {
            i++;
        }
        return i;
    }
}
