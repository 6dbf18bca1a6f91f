package io.github.reluspectra.spectra;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Gaussian mean widths of a layer operator {@code A} ({@code m x n}), definitions §3:
 * <pre>
 *   w_lin  = E ||A^T g||                                    g ~ N(0, I_m)
 *   w_relu = E sup_{||x|| <= 1} &lt;g, ReLU(A x)&gt;
 * </pre>
 * and the local width {@code E||J_h^T g||} of the layer's Jacobian at given inputs.
 */
public final class MeanWidths {

    /** Pattern steps without any improvement after which the inner supremum search stops. */
    private static final int PATIENCE = 3;
    /** A sample's value must rise by this share to count as progress rather than rounding. */
    private static final double PROGRESS = 1e-9;

    private MeanWidths() {}

    /**
     * Both widths. The inner supremum is found by the pattern iteration
     * {@code x <- A^T (g * 1[A x > 0]) / ||.||} from two starts per sample, {@code A^T g_+} and
     * {@code A^T g}, keeping the best value seen and never less than 0 (the value at {@code x = 0}), until a
     * fixed point, {@code maxIterations}, or three steps in which no sample improved.
     */
    public static MeanWidth of(INDArray operator, MeanWidthOptions options) {
        return of(LinearOperator.dense(operator), options);
    }

    /** As {@link #of(INDArray, MeanWidthOptions)}, matrix-free: {@code operator} is used through products only. */
    public static MeanWidth of(LinearOperator operator, MeanWidthOptions options) {
        // w(cA) = c w(A): computed at entries of order 1, scaled back (see Matrices.unitScale).
        double c = operator.unitScale();
        LinearOperator a = c == 1 ? operator : operator.scaled(c);
        int m = Math.toIntExact(a.rows());
        int n = Math.toIntExact(a.columns());
        int samples = options.samples();
        DataType type = a.dataType();
        INDArray g = samples(a, options);
        // Starts [A^T g_+ | A^T g]; the norms of the second half are the linear-width samples.
        INDArray starts = Nd4j.hstack(Transforms.relu(g, true), g);
        INDArray x = a.applyTranspose(starts);
        double[] linear = x.get(
                        org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(samples, 2 * samples))
                .norm2(0)
                .toDoubleVector();
        INDArray gg = Nd4j.hstack(g, g);
        double[] best = new double[2 * samples];
        INDArray y = Nd4j.create(type, new long[] {m, 2L * samples}, 'f');
        INDArray pattern = Nd4j.create(type, new long[] {m, 2L * samples}, 'f');
        int stale = 0;
        for (int iteration = 0; iteration < options.maxIterations() && stale < PATIENCE; iteration++) {
            // An iteration's temporaries (m x 2N each: 6 MB for LeNet's first convolution) live in a workspace
            // reused by the next: fresh off-heap arrays of that size take milliseconds each.
            try (MemoryWorkspace temporaries = Workspaces.temporaries("mean-width-iteration")) {
                normaliseColumns(x);
                // value_j = <g_j, ReLU(A x_j)>
                a.apply(x, y);
                INDArray active = y.gt(0).castTo(type);
                double[] value = Transforms.relu(y, true).muli(gg).sum(0).toDoubleVector();
                boolean improved = false;
                for (int j = 0; j < best.length; j++) {
                    if (value[j] > best[j] * (1 + PROGRESS)) {
                        improved = true;
                    }
                    best[j] = Math.max(best[j], value[j]);
                }
                if (iteration > 0 && active.equals(pattern)) {
                    break; // same pattern, same next iterate: a fixed point
                }
                // The iteration is not monotone: past its first steps it mostly wanders, so it stops once no
                // sample has improved for PATIENCE steps.
                stale = improved ? 0 : stale + 1;
                pattern.assign(active);
                // x <- A^T (g * 1[A x > 0])
                a.applyTranspose(active.muli(gg), x);
            }
        }
        double[] relu = new double[samples];
        for (int j = 0; j < samples; j++) {
            relu[j] = Math.max(best[j], best[samples + j]);
        }
        return new MeanWidth(
                mean(relu) / c,
                standardError(relu) / c,
                mean(linear) / c,
                standardError(linear) / c,
                samples,
                GaussianMoments.chiMean(n));
    }

    /** The linear width alone (for layers whose activation is not ReLU); the ReLU fields are NaN. */
    public static MeanWidth linear(INDArray operator, MeanWidthOptions options) {
        return linear(LinearOperator.dense(operator), options);
    }

    /** As {@link #linear(INDArray, MeanWidthOptions)}, matrix-free. */
    public static MeanWidth linear(LinearOperator operator, MeanWidthOptions options) {
        double c = operator.unitScale();
        LinearOperator a = c == 1 ? operator : operator.scaled(c);
        INDArray g = samples(a, options);
        double[] linear = a.applyTranspose(g).norm2(0).toDoubleVector();
        return new MeanWidth(
                Double.NaN,
                Double.NaN,
                mean(linear) / c,
                standardError(linear) / c,
                options.samples(),
                GaussianMoments.chiMean(Math.toIntExact(a.columns())));
    }

    /**
     * Local widths (definitions §3): for each row h of {@code inputs} ({@code batch x n}), with the Jacobian
     * {@code J_h = diag(1[A h + b > 0]) A},
     * <pre>
     *   w_loc(h) = sqrt(E ||J_h^T g||^2) = ||J_h||_F = sqrt(sum over i active at h of ||a_i||^2)
     * </pre>
     * exact and deterministic (fact G5 bounds the Gaussian mean width {@code E ||J_h^T g||} by it).
     *
     * @param bias the layer's biases ({@code m}), or null for none
     * @return one width per input row
     */
    public static double[] local(INDArray operator, INDArray bias, INDArray inputs) {
        Matrices.requireOperator(operator, "operator");
        return local(LinearOperator.dense(operator), bias, inputs);
    }

    /** As {@link #local(INDArray, INDArray, INDArray)}, matrix-free. */
    public static double[] local(LinearOperator operator, INDArray bias, INDArray inputs) {
        if (inputs.rank() != 2 || inputs.columns() != operator.columns()) {
            throw new IllegalArgumentException("inputs must be batch x " + operator.columns() + ", got "
                    + java.util.Arrays.toString(inputs.shape()));
        }
        // c (A h + b) has the pattern of A h + b: computed at entries of order 1, where nothing underflows
        double c = operator.unitScale();
        LinearOperator a = c == 1 ? operator : operator.scaled(c);
        INDArray pre = a.apply(inputs.castTo(a.dataType()).transpose().dup('f')); // m x batch
        if (bias != null) {
            pre.addiColumnVector(bias.reshape(a.rows(), 1).castTo(a.dataType()).mul(c));
        }
        return local(operator, pre.transpose().gt(0));
    }

    /**
     * Local widths from the inputs' activation patterns: {@code active} is {@code batch x m}, row i true (or 1) where
     * a unit is active at input i; {@code w_loc = sqrt(active . ||a||^2)}, one product for the whole batch.
     */
    public static double[] local(LinearOperator operator, INDArray active) {
        int m = Math.toIntExact(operator.rows());
        if (active.rank() != 2 || active.columns() != m) {
            throw new IllegalArgumentException(
                    "activation patterns must be batch x " + m + ", got " + java.util.Arrays.toString(active.shape()));
        }
        // ||a_i||^2 at entries of order 1 (squares of entries near 1e-200 underflow), scaled back after the root
        double c = operator.unitScale();
        LinearOperator a = c == 1 ? operator : operator.scaled(c);
        INDArray rowSquares = a.rowSquaredNorms().reshape(m, 1);
        // a 0/1 pattern in float or double is multiplied in its own precision (no copy of a large batch)
        INDArray pattern = active.dataType().isFPType() ? active : active.castTo(DataType.DOUBLE);
        INDArray widths = Transforms.sqrt(
                        pattern.mmul(rowSquares.castTo(pattern.dataType())).castTo(DataType.DOUBLE), false)
                .divi(c);
        return widths.reshape(-1).toDoubleVector();
    }

    /** The seeded samples {@code g_1..g_N} as the columns of an {@code m x N} matrix. */
    private static INDArray samples(INDArray a, MeanWidthOptions options) {
        return samples(a.dataType(), a.rows(), options);
    }

    private static INDArray samples(LinearOperator a, MeanWidthOptions options) {
        return samples(a.dataType(), a.rows(), options);
    }

    private static INDArray samples(DataType type, long m, MeanWidthOptions options) {
        try (Gaussians rng = new Gaussians(options.seed())) {
            return rng.sample(type, m, options.samples());
        }
    }

    private static void normaliseColumns(INDArray x) {
        double[] norms = x.norm2(0).toDoubleVector();
        for (int j = 0; j < norms.length; j++) {
            norms[j] = norms[j] > 0 ? norms[j] : 1;
        }
        x.diviRowVector(Nd4j.createFromArray(norms).castTo(x.dataType()));
    }

    static double mean(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        return sum / v.length;
    }

    static double standardError(double[] v) {
        double mean = mean(v);
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / (v.length - 1) / v.length);
    }
}
