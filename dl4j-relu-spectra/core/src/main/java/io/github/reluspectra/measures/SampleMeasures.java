package io.github.reluspectra.measures;

import io.github.reluspectra.spectra.LinearOperator;
import io.github.reluspectra.spectra.MeanWidths;
import io.github.reluspectra.spectra.RankFit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The per-sample measures of a ReLU layer {@code h -> ReLU(A h + b)} (definitions §4), one value per row of {@code H}
 * (the layer's inputs, one per row). The separation listener scores each of them by AUROC.
 */
public final class SampleMeasures {

    /** Input norms are raised to at least this: a zero input divides by a small number, never by zero. */
    private static final double ZERO_NORM = 1e-12;

    private SampleMeasures() {}

    /** {@code gain(h) = ||ReLU(A h + b)|| / ||h||}. */
    public static double[] gain(INDArray a, INDArray b, INDArray h) {
        return gain(LinearOperator.dense(a), b, h);
    }

    /** As {@link #gain(INDArray, INDArray, INDArray)} for any operator (a convolution on flattened images). */
    public static double[] gain(LinearOperator a, INDArray b, INDArray h) {
        return Transforms.relu(preActivation(a, b, h), false)
                .norm2(1)
                .reshape(-1)
                .divi(norms(h))
                .toDoubleVector();
    }

    /** {@code active(h) = #{i : (A h + b)_i > 0} / m}. */
    public static double[] activeFraction(INDArray a, INDArray b, INDArray h) {
        return activeFraction(LinearOperator.dense(a), b, h);
    }

    /** As {@link #activeFraction(INDArray, INDArray, INDArray)} for any operator. */
    public static double[] activeFraction(LinearOperator a, INDArray b, INDArray h) {
        return preActivation(a, b, h).gt(0).castTo(DataType.DOUBLE).mean(1).toDoubleVector();
    }

    /**
     * {@code w_loc(h) = ||J_h||_F = sqrt(sum over i active at h of ||a_i||^2)} (definitions §3,
     * {@link MeanWidths#local}).
     */
    public static double[] localWidth(INDArray a, INDArray b, INDArray h) {
        return MeanWidths.local(a, b, h);
    }

    /** As {@link #localWidth(INDArray, INDArray, INDArray)} for any operator. */
    public static double[] localWidth(LinearOperator a, INDArray b, INDArray h) {
        return MeanWidths.local(a, b, h);
    }

    /**
     * {@code align(h) = ||X_K^T h|| / ||h||} for orthonormal columns {@code X_K} ({@code n x K}), in the precision of
     * {@code h} (the vectors may come from an analysis in another one).
     */
    public static double[] alignment(INDArray vectors, INDArray h) {
        return h.mmul(vectors.castTo(h.dataType()))
                .norm2(1)
                .reshape(-1)
                .divi(norms(h))
                .toDoubleVector();
    }

    /**
     * definitions §4 and §2b: {@code r(h) = ||ReLU(Ah+b) - ReLU(WMh+b)|| / ||ReLU(Ah+b)||} for the fitted rank-k factors
     * {@code W, M} (0 where the layer's output is 0).
     */
    public static double[] residual(INDArray a, INDArray b, RankFit fit, INDArray h) {
        INDArray exact = Transforms.relu(preActivation(LinearOperator.dense(a), b, h), false);
        // the fit may come from an analysis in another precision (fitFrom a listener analysing in FLOAT)
        INDArray approximate = fit.rank() == 0
                ? Nd4j.zerosLike(exact)
                : h.mmul(fit.m().castTo(h.dataType()).transpose())
                        .mmul(fit.w().castTo(h.dataType()).transpose());
        if (b != null) {
            approximate.addiRowVector(b.reshape(1, exact.columns()));
        }
        double[] output = exact.norm2(1).toDoubleVector();
        double[] error =
                exact.subi(Transforms.relu(approximate, false)).norm2(1).toDoubleVector();
        double[] r = new double[output.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = output[i] > 0 ? error[i] / output[i] : 0;
        }
        return r;
    }

    /**
     * The layer's response to a batch, {@code ReLU(A h + b)} per row: the gain, the active fraction and the local
     * width all read it, so it is computed once (one product with the operator, which for a convolution is the
     * cost).
     */
    public static Response response(LinearOperator a, INDArray b, INDArray h) {
        return new Response(a, h, Transforms.relu(preActivation(a, b, h), false));
    }

    /**
     * The same from the layer's output {@code ReLU(A h + b)} as the network's forward pass computed it (one sample
     * per row, in the operator's row order, in the network's precision): no product with the operator at all. Only
     * for a plain ReLU layer, whose output is positive exactly where the pre-activation is.
     */
    public static Response fromOutput(LinearOperator a, INDArray h, INDArray output) {
        if (output.rows() != h.rows() || output.columns() != a.rows()) {
            throw new IllegalArgumentException("the layer's output is " + output.rows() + " x " + output.columns()
                    + ", expected " + h.rows() + " x " + a.rows());
        }
        return new Response(a, h, output);
    }

    /**
     * {@code ReLU(A h + b)} for a batch, with what the measures read of it: its row norms and its pattern of
     * active units, computed in its own precision (a float output of a convolution has 10^7 entries for 1,000
     * images; a double copy would cost more than the measures).
     */
    public static final class Response {
        private final LinearOperator a;
        private final INDArray h;
        private final INDArray out;
        private INDArray active;

        private Response(LinearOperator a, INDArray h, INDArray out) {
            this.a = a;
            this.h = h;
            this.out = out;
        }

        /** {@code ||ReLU(A h + b)|| / ||h||}. */
        public double[] gain() {
            return out.norm2(1)
                    .castTo(DataType.DOUBLE)
                    .reshape(-1)
                    .divi(norms(h))
                    .toDoubleVector();
        }

        /** {@code #{i : (A h + b)_i > 0} / m}. */
        public double[] activeFraction() {
            return active().sum(1)
                    .castTo(DataType.DOUBLE)
                    .reshape(-1)
                    .divi(out.columns())
                    .toDoubleVector();
        }

        /** {@code ||diag(d_h) A||_F}, {@code d_h = 1[A h + b > 0]}. */
        public double[] localWidth() {
            return MeanWidths.local(a, active());
        }

        /** {@code d_h} per row as 0/1 in the output's precision, computed once. */
        private INDArray active() {
            if (active == null) {
                active = Transforms.step(out);
            }
            return active;
        }
    }

    /** {@code H A^T + 1 b^T}: batch x m. */
    private static INDArray preActivation(LinearOperator a, INDArray b, INDArray h) {
        INDArray pre = a.apply(h.castTo(a.dataType()).transpose().dup('f')).transpose();
        if (b != null) {
            pre.addiRowVector(b.reshape(1, a.rows()).castTo(a.dataType()));
        }
        return pre;
    }

    private static INDArray norms(INDArray h) {
        return Transforms.max(h.norm2(1).reshape(-1), ZERO_NORM, false);
    }
}
