package io.github.reluspectra.spectra;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * What the descents on a factored layer {@code W M} share (the values' own fit, {@link ErrorDescent}, and the
 * pruning module's reconstruction through the ReLU): ND4J's Adam on one factor, the step of both, and the step's
 * scale.
 */
public final class FactorSteps {

    private FactorSteps() {}

    /** ND4J's Adam updater for {@code parameters}, with its own zeroed state. */
    public static AdamUpdater adam(Adam config, INDArray parameters) {
        AdamUpdater updater = new AdamUpdater(config);
        updater.setStateViewArray(
                Nd4j.zeros(parameters.dataType(), 1, 2 * parameters.length()), parameters.shape(), 'f', true);
        return updater;
    }

    /**
     * One Adam step of both factors from the residual {@code D} at the inputs {@code Xs}, {@code XM = Xs M^T} their
     * images: D is {@code ReLU(Z) - Y} masked by {@code 1[Z > 0]} and weighted per row as the objective wants, and the
     * gradients are {@code D^T XM} for W and {@code (D W)^T Xs} for M (constant factors dropped: Adam does not see
     * them). Temporaries go to the caller's workspace.
     */
    public static void adamStep(
            INDArray w,
            INDArray m,
            INDArray xs,
            INDArray xm,
            INDArray d,
            AdamUpdater adamW,
            AdamUpdater adamM,
            int iteration) {
        INDArray gradW = Nd4j.gemm(d, xm, true, false);
        INDArray gradM = Nd4j.gemm(Nd4j.gemm(d, w, false, false), xs, true, false);
        adamW.applyUpdater(gradW, iteration, 0);
        adamM.applyUpdater(gradM, iteration, 0);
        w.subi(gradW);
        m.subi(gradM);
    }

    /**
     * A new array holding {@code a}'s entries in {@code type}: where a descent keeps its best iterate while its buffers
     * move on ({@code castTo} returns {@code a} itself when it already has that type).
     */
    public static INDArray copy(INDArray a, DataType type) {
        return Nd4j.createUninitialized(type, a.shape(), 'f').assign(a);
    }

    /**
     * The root mean square entry of both factors, {@code sqrt((||W||_F^2 + ||M||_F^2) / (|W| + |M|))}: the scale a
     * relative step size is taken of.
     */
    public static double rootMeanSquare(INDArray w, INDArray m) {
        double wn = w.norm2Number().doubleValue();
        double mn = m.norm2Number().doubleValue();
        return Math.sqrt((wn * wn + mn * mn) / (w.length() + m.length()));
    }
}
