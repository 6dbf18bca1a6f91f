package io.github.reluspectra.pruning;

import io.github.reluspectra.spectra.FactorSteps;
import io.github.reluspectra.spectra.Workspaces;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The fitted basis's factors (definitions §6): the nonlinear reconstruction of Zhang, Zou, He and Sun
 * ("Accelerating Very Deep Convolutional Networks for Classification and Detection", TPAMI 2016, §3), which fits
 * a rank-r layer to the original layer's outputs after the ReLU rather than before it. From a start
 * {@code (W, M, c)} (the whitened closed form), minibatch Adam steps on
 * <pre>
 *   sum over calibration inputs x of ||ReLU(W M x + c) - y_x||^2
 * </pre>
 * with the bias c free, where {@code y_x} is the original layer's output; or, for the layer that feeds the output
 * layer ({@link FitTarget#LOGITS}), {@code sum ||V^T (ReLU(W M x + c) - y_x)||^2}: the error of the logits, V the
 * output layer's weights. The inputs x may differ from those the
 * targets were computed on: calibrated layer by layer, x is what the already-pruned earlier layers produce and
 * y what the original network does, so that each layer also corrects the error it receives. A layer without a bias
 * keeps none (c stays 0). The best iterate by
 * the objective over all calibration inputs is returned, the start included: the result is never worse than the
 * start on the calibration data (fact P3).
 */
final class ReluReconstruction {

    /** Adam steps: on the demo's MLP the objective stops falling within 200-300 steps at ranks 8-64. */
    static final int STEPS = 300;
    /** Inputs per step: a minibatch as training uses, a fraction of the calibration inputs. */
    static final int BATCH = 256;
    /** Adam's step relative to the root mean square entry of the start's factors (as in the values' own fit). */
    static final double RATE = 0.01;
    /** Steps between scorings of every calibration input (the checkpoints the best iterate is chosen from). */
    static final int CHECK_EVERY = 50;
    /** The seed of the minibatches' draw: the same data give the same factors. */
    private static final long SEED = 3;

    private ReluReconstruction() {}

    /**
     * @param start   the factors to start from ({@code W} m x r, {@code M} r x n, bias m entries or null for none)
     * @param inputs  the calibration inputs as the pruned layer sees them, one per row
     * @param targets the original layer's outputs for the same rows, {@code N x m}
     * @param readout the output layer's weights {@code V} ({@code m x p}) to fit the logits, or null to fit the
     *                layer's outputs
     * @return the refined factors, in the start's precision
     */
    static DataAwareLowRank.Factors refine(
            DataAwareLowRank.Factors start, INDArray inputs, INDArray targets, INDArray readout) {
        DataType original = start.w().dataType();
        // single precision: twice the speed of ND4J's double products; the caller scores the result in double
        INDArray x = inputs.castTo(DataType.FLOAT);
        // column-major like the products with the factors: ND4J's elementwise operations between arrays of
        // different orders take a path 5-10 times slower
        INDArray y = targets.castTo(DataType.FLOAT).dup('f');
        INDArray v = readout == null ? null : readout.castTo(DataType.FLOAT).dup('f');
        INDArray w = start.w().castTo(DataType.FLOAT).dup('f');
        INDArray m = start.m().castTo(DataType.FLOAT).dup('f');
        boolean hasBias = start.bias() != null;
        INDArray c = hasBias
                ? start.bias().castTo(DataType.FLOAT).reshape(1, w.rows()).dup('f')
                : Nd4j.zeros(DataType.FLOAT, 1, w.rows());
        Adam config = new Adam(RATE * FactorSteps.rootMeanSquare(w, m));
        AdamUpdater adamW = FactorSteps.adam(config, w);
        AdamUpdater adamM = FactorSteps.adam(config, m);
        AdamUpdater adamC = FactorSteps.adam(config, c);
        double bestLoss = loss(w, m, c, x, y, v);
        DataAwareLowRank.Factors best = start;
        Random random = new Random(SEED);
        int batch = (int) Math.min(BATCH, x.rows());
        for (int t = 0; t < STEPS; t++) {
            int[] rows = random.ints(batch, 0, (int) x.rows()).toArray();
            step(w, m, c, x, y, v, rows, adamW, adamM, hasBias ? adamC : null, t);
            if ((t + 1) % CHECK_EVERY == 0) {
                double l = loss(w, m, c, x, y, v);
                if (l < bestLoss) {
                    bestLoss = l;
                    best = new DataAwareLowRank.Factors(
                            FactorSteps.copy(w, original),
                            FactorSteps.copy(m, original),
                            hasBias ? FactorSteps.copy(c, original).reshape(w.rows()) : null);
                }
            }
        }
        return best;
    }

    /**
     * One Adam step on the rows {@code rows}: with {@code Z = X M^T W^T + c} and
     * {@code D = (ReLU(Z) - Y) * 1[Z > 0]} ({@code ((ReLU(Z) - Y) V V^T) * 1[Z > 0]} with a readout V), the
     * gradients are {@code D^T (X M^T)} for W, {@code (D W)^T X} for M
     * and the column sums of D for c (constant factors dropped: Adam does not see them); c is left alone without
     * its updater.
     */
    private static void step(
            INDArray w,
            INDArray m,
            INDArray c,
            INDArray x,
            INDArray y,
            INDArray v,
            int[] rows,
            AdamUpdater adamW,
            AdamUpdater adamM,
            AdamUpdater adamC,
            int iteration) {
        try (MemoryWorkspace temporaries = Workspaces.temporaries("relu-reconstruction-step")) {
            INDArray xs = Nd4j.pullRows(x, 1, rows);
            INDArray ys = Nd4j.pullRows(y, 1, rows).dup('f');
            INDArray xm = Nd4j.gemm(xs, m, false, true);
            INDArray z = Nd4j.gemm(xm, w, false, true).addiRowVector(c);
            INDArray d = Transforms.relu(z, true).subi(ys);
            if (v != null) {
                d = Nd4j.gemm(Nd4j.gemm(d, v, false, false), v, false, true);
            }
            Nd4j.exec(new RectifiedLinearDerivative(z, d, d));
            FactorSteps.adamStep(w, m, xs, xm, d, adamW, adamM, iteration);
            if (adamC != null) {
                INDArray gradC = d.sum(true, 0);
                adamC.applyUpdater(gradC, iteration, 0);
                c.subi(gradC);
            }
        }
    }

    /** {@code sum_x ||ReLU(W M x + c) - y_x||^2} (of {@code V^T} times it with a readout) over every input. */
    private static double loss(INDArray w, INDArray m, INDArray c, INDArray x, INDArray y, INDArray v) {
        try (MemoryWorkspace temporaries = Workspaces.temporaries("relu-reconstruction-loss")) {
            INDArray z = Nd4j.gemm(Nd4j.gemm(x, m, false, true), w, false, true).addiRowVector(c);
            INDArray error = Transforms.relu(z, false).subi(y);
            double norm = (v == null ? error : Nd4j.gemm(error, v, false, false))
                    .norm2Number()
                    .doubleValue();
            return norm * norm;
        }
    }
}
