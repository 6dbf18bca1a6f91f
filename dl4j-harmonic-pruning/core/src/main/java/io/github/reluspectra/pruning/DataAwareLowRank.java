package io.github.reluspectra.pruning;

import io.github.reluspectra.spectra.SymmetricEigen;
import org.nd4j.linalg.api.ndarray.INDArray;
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
     * The whitening's damping, as a fraction of the inputs' mean variance added to every direction (GPTQ's and
     * SVD-LLM's remedy, Frantar et al., ICLR 2023): without it, directions the inputs barely reach (MNIST's border
     * pixels) are divided by their tiny variance and the map grows without bound there.
     */
    static final double DAMPING = 0.01;
    /** ASVD's exponent of the mean magnitude (Yuan et al.'s default). */
    static final double ACTIVATION_ALPHA = 0.5;

    /** A rank-r replacement {@code act(W M x + bias)}. */
    record Factors(INDArray w, INDArray m, INDArray bias) {}

    private DataAwareLowRank() {}

    /**
     * Whitened: with {@code X_c = X - 1 mu^T}, the damped covariance {@code X_c^T X_c + d I = Q Lambda Q^T}
     * ({@code d = DAMPING} times the mean of its diagonal) and {@code S = Q Lambda^(1/2)},
     * {@code ||(A - L) S||_F^2 = ||(A - L) X_c^T||_F^2 + d ||A - L||_F^2} is minimised over rank r by
     * {@code L S = U_r Sigma_r V_r^T}, the truncated SVD of {@code A S}:
     * <pre>
     *   W = U_r Sigma_r,   M = V_r^T Lambda^(-1/2) Q^T,   bias = b + (A - W M) mu
     * </pre>
     * so that the mean input gives the layer's own pre-activation; the damping keeps {@code L} near {@code A} in
     * the directions the inputs do not reach. A layer without a bias has nowhere to fold
     * the mean: its inputs are not centred ({@code mu = 0}).
     *
     * @param a {@code m x n}, {@code b} m entries or null, {@code x} the layer's inputs, one per row
     */
    static Factors whitened(INDArray a, INDArray b, INDArray x, int r) {
        INDArray mu =
                b == null ? Nd4j.zeros(x.dataType(), 1, x.columns()) : x.mean(0).reshape(1, x.columns());
        INDArray centred = x.subRowVector(mu);
        INDArray gram = centred.transpose().mmul(centred);
        double damping = damping(gram);
        gram.addi(Nd4j.eye(x.columns()).castTo(gram.dataType()).muli(damping));
        SymmetricEigen.Decomposition eigen = SymmetricEigen.descending(gram);
        INDArray q = eigen.vectors().castTo(x.dataType());
        INDArray lambda = Nd4j.createFromArray(eigen.values()).castTo(x.dataType());
        INDArray root =
                Transforms.sqrt(Transforms.max(lambda, damping, false), false).reshape(1, x.columns());
        INDArray s = q.mulRowVector(root);
        Truncated t = truncated(a.mmul(s), r);
        INDArray m = t.vt().divRowVector(root).mmul(q.transpose());
        return balanced(t.w(), m, b == null ? null : foldedBias(a, b, t.w(), m, mu));
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
        return balanced(t.w(), t.vt().mulRowVector(inverse), b == null ? null : b.dup());
    }

    /**
     * The same {@code W M} with column j of W and row j of M of equal norm. The whitened factors come out as
     * {@code W = U Sigma} with the inputs' scale (hundreds on MNIST) and M with its inverse: Adam moves every
     * parameter by about the same step, so one fine-tuning epoch on such factors lost 3 points of accuracy.
     */
    private static Factors balanced(INDArray w, INDArray m, INDArray bias) {
        INDArray wNorms = w.norm2(0);
        INDArray mNorms = m.norm2(1);
        INDArray d = Transforms.sqrt(mNorms.div(Transforms.max(wNorms, Double.MIN_NORMAL, true)), false);
        BooleanIndexing.replaceWhere(d, 1.0, Conditions.equals(0));
        return new Factors(w.mulRowVector(d.reshape(1, d.length())), m.divColumnVector(d.reshape(d.length(), 1)), bias);
    }

    /** {@code U_r Sigma_r} and {@code V_r^T} of the truncated SVD of {@code c}. */
    private record Truncated(INDArray w, INDArray vt) {}

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
        return new Truncated(
                uk.dup(),
                vt.get(NDArrayIndex.interval(0, k), NDArrayIndex.all()).dup());
    }

    /** {@code b + (A - W M) mu}. */
    private static INDArray foldedBias(INDArray a, INDArray b, INDArray w, INDArray m, INDArray mu) {
        return b.reshape(a.rows()).add(a.sub(w.mmul(m)).mmul(mu.transpose()).reshape(a.rows()));
    }

    /** {@code DAMPING} times the mean variance; 1 for inputs that never vary (the whitening is then the identity). */
    static double damping(INDArray gram) {
        double mean = Nd4j.diag(gram).meanNumber().doubleValue();
        return mean > 0 ? DAMPING * mean : 1;
    }
}
