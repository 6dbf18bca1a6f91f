package io.github.reluspectra.spectra;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The descent toward the max over X. The max is attained by few inputs, so each round takes the inputs whose
 * error is within {@link #ACTIVE_WEIGHT} of mattering, makes a few Adam steps on
 * <pre>
 *   sum over those x of (e_x / e_max)^p,   p = {@value #POWER},
 * </pre>
 * which weighs the worst inputs most, and then scores every input again: an input that a round made worse
 * joins the next round. For the mean squared error every input takes part and {@code p = 2}. A round that does not lower the max halves the step; two such rounds in a row end
 * the descent. The search runs in single
 * precision (twice the speed of ND4J's double products) unless the data's magnitude forbids it; the caller
 * scores the result in the layer's precision.
 */
final class ErrorDescent {
    /** The exponent of the objective: larger is closer to the max, smaller is smoother. */
    private static final int POWER = 16;
    /** An input enters a round when its weight {@code (e_x / e_max)^(p-2)} is at least this. */
    private static final double ACTIVE_WEIGHT = 0.01;
    /** Bounds of a round's inputs: enough for a stable step, few enough for a cheap one. */
    private static final int MIN_ACTIVE = 16;

    private static final int MAX_ACTIVE = 256;
    /** Rounds in a row without a lower max after which the descent stops: its step is a quarter by then. */
    private static final int STALLED_ROUNDS = 2;
    /** Inputs and targets above this magnitude are searched in the layer's own precision. */
    private static final double FLOAT_RANGE = 1e15;
    /** Adam's decay rates and guard (Kingma and Ba's defaults). */
    private static final double BETA1 = 0.9;

    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final INDArray x;
    private final INDArray y;
    private final INDArray bias;

    ErrorDescent(INDArray x, INDArray y, INDArray bias) {
        DataType search = fitsFloat(x) && fitsFloat(y) ? DataType.FLOAT : x.dataType();
        this.x = x.castTo(search);
        // The products with the column-major factors come out column-major: elementwise operations between
        // arrays of different orders take ND4J's slow path (5-10 times longer for 2,000 x 256).
        this.y = y.castTo(search).dup('f');
        this.bias = bias == null ? null : bias.castTo(search);
    }

    /** Entries whose products stay far from single precision's overflow (the bias is of order 1). */
    private static boolean fitsFloat(INDArray a) {
        return a.amaxNumber().doubleValue() < FLOAT_RANGE;
    }

    /**
     * @param rate the step relative to the root mean square entry of the start's factors
     * @return the iterate with the smallest objective if it beats the start, else null
     */
    ReluSingularValues.Factors descend(
            ReluSingularValues.Factors start, FitObjective objective, int rounds, int steps, double rate) {
        boolean maxError = objective == FitObjective.MAX_ERROR;
        INDArray w = start.w().castTo(x.dataType()).dup('f');
        INDArray m = start.m().castTo(x.dataType()).dup('f');
        double step = rate * FactorSteps.rootMeanSquare(w, m);
        Adam config = new Adam(step, BETA1, BETA2, EPSILON);
        AdamUpdater adamW = FactorSteps.adam(config, w);
        AdamUpdater adamM = FactorSteps.adam(config, m);
        double[] errors = errors(w, m);
        double bestObjective = objective(errors, maxError);
        ReluSingularValues.Factors best = null;
        int iteration = 0;
        int stalled = 0;
        for (int round = 0; round < rounds && bestObjective > 0 && stalled < STALLED_ROUNDS; round++) {
            double scale = Arrays.stream(errors).max().orElse(0);
            try (MemoryWorkspace roundScope = Workspaces.temporaries("relu-polish-round")) {
                int[] active = maxError ? active(errors) : null;
                INDArray xs = maxError ? Nd4j.pullRows(x, 1, active) : x;
                INDArray ys = maxError ? Nd4j.pullRows(y, 1, active).dup('f') : y;
                for (int t = 0; t < steps; t++, iteration++) {
                    step(w, m, xs, ys, maxError ? scale : 0, adamW, adamM, iteration);
                }
            }
            errors = errors(w, m);
            double value = objective(errors, maxError);
            if (value < bestObjective) {
                stalled = 0;
                bestObjective = value;
                try (MemoryWorkspace outside = Workspaces.outside()) {
                    best = new ReluSingularValues.Factors(
                            FactorSteps.copy(w, start.w().dataType()),
                            FactorSteps.copy(m, start.m().dataType()),
                            "polish");
                }
            } else {
                stalled++;
                step /= 2;
                config.setLearningRate(step);
            }
        }
        return best;
    }

    /** The max error, or the sum of squares (which orders fits as the mean square does). */
    private static double objective(double[] errors, boolean maxError) {
        return maxError
                ? Arrays.stream(errors).max().orElse(0)
                : Arrays.stream(errors).map(e -> e * e).sum();
    }

    /**
     * One Adam step on the active inputs {@code xs}, targets {@code ys}: with {@code Z = Xs M^T W^T + b},
     * {@code D = (ReLU(Z) - Ys) * 1[Z > 0]} and rows weighted by {@code (e_x / scale)^(p-2)} (unweighted for
     * scale 0: the mean square), the gradients are {@code D^T (Xs M^T)} for W and {@code (D W)^T Xs} for M
     * (constant factors dropped: Adam does not see them).
     */
    private void step(
            INDArray w,
            INDArray m,
            INDArray xs,
            INDArray ys,
            double scale,
            AdamUpdater adamW,
            AdamUpdater adamM,
            int iteration) {
        try (MemoryWorkspace temporaries = Workspaces.temporaries("relu-polish-step")) {
            INDArray xm = Nd4j.gemm(xs, m, false, true);
            INDArray z = withBias(Nd4j.gemm(xm, w, false, true));
            INDArray d = Transforms.relu(z, true).subi(ys);
            INDArray weights = scale > 0
                    ? Transforms.pow(d.norm2(1).divi(scale), POWER - 2, false).reshape(xs.rows(), 1)
                    : null;
            Nd4j.exec(new RectifiedLinearDerivative(z, d, d));
            if (weights != null) {
                d.muliColumnVector(weights);
            }
            FactorSteps.adamStep(w, m, xs, xm, d, adamW, adamM, iteration);
        }
    }

    /**
     * The inputs with {@code (e_x / e_max)^(p-2) >= ACTIVE_WEIGHT}, worst first, at least
     * {@code MIN_ACTIVE} and at most {@code MAX_ACTIVE} of them.
     */
    private static int[] active(double[] errors) {
        double max = Arrays.stream(errors).max().orElse(0);
        double threshold = max * Math.pow(ACTIVE_WEIGHT, 1.0 / (POWER - 2));
        int[] worstFirst = IntStream.range(0, errors.length)
                .boxed()
                .sorted((i, j) -> Double.compare(errors[j], errors[i]))
                .mapToInt(Integer::intValue)
                .toArray();
        int count = 0;
        while (count < worstFirst.length && count < MAX_ACTIVE && errors[worstFirst[count]] >= threshold) {
            count++;
        }
        return Arrays.copyOf(worstFirst, Math.max(count, Math.min(MIN_ACTIVE, errors.length)));
    }

    /** Every input's error under the current factors. */
    private double[] errors(INDArray w, INDArray m) {
        try (MemoryWorkspace temporaries = Workspaces.temporaries("relu-polish-score")) {
            INDArray z = withBias(Nd4j.gemm(Nd4j.gemm(x, m, false, true), w, false, true));
            return Transforms.relu(z, true).subi(y).norm2(1).toDoubleVector();
        }
    }

    private INDArray withBias(INDArray z) {
        return bias == null ? z : z.addiRowVector(bias);
    }
}
