package io.github.reluspectra.spectra;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * How far a low-rank replacement {@code x -> ReLU(W M x + c)} of the layer {@code x -> ReLU(A x + b)} is from it
 * on inputs X, in the terms of the values over data (definitions §2b):
 * <pre>
 *   e_x = ||ReLU(W M x + c) - ReLU(A x + b)||,   value = max_x e_x,   rms = sqrt(mean_x e_x^2)
 *   rankZeroValue = max_x ||ReLU(b) - ReLU(A x + b)||          (the error of L = 0, s_{0,X})
 * </pre>
 * so that {@code value} bounds {@code s_{k,X}} from above for {@code k = rank(W M)} when {@code c = b};
 * {@code relative = value / rankZeroValue} (0 where the layer maps every input to its rank-0 output).
 */
public record ReplacementError(double value, double rankZeroValue, double relative, double rms) {

    /**
     * @param a {@code m x n}; {@code b} its bias (m entries) or null; {@code x} the inputs, one per row
     * @param w {@code m x k}, {@code m} {@code k x n}: the replacement {@code W M}; {@code c} its bias or null
     */
    public static ReplacementError of(INDArray a, INDArray b, INDArray x, INDArray w, INDArray m, INDArray c) {
        INDArray target = target(a, b, x);
        double[] errors = sampleErrors(target, x, w, m, c);
        double rankZero = max(sampleErrors(target, x, null, null, b));
        double max = max(errors);
        return new ReplacementError(
                max,
                rankZero,
                rankZero > 0 ? max / rankZero : 0,
                Math.sqrt(sumOfSquares(errors) / Math.max(errors.length, 1)));
    }

    /** {@code ReLU(A x + b)} per input (row of {@code x}), in double: what every replacement is compared with. */
    public static INDArray target(INDArray a, INDArray b, INDArray x) {
        return Transforms.relu(
                withBias(Nd4j.gemm(x.castTo(DataType.DOUBLE), a.castTo(DataType.DOUBLE), false, true), b), false);
    }

    /**
     * {@code e_x} for each input against {@code target} ({@link #target}), in double precision; {@code w} and
     * {@code m} null (or of rank 0) for the replacement {@code L = 0}, whose error is that of {@code ReLU(c)}.
     */
    public static double[] sampleErrors(INDArray target, INDArray x, INDArray w, INDArray m, INDArray c) {
        INDArray inputs = x.castTo(DataType.DOUBLE);
        INDArray linear = w == null || w.columns() == 0
                ? Nd4j.zeros(DataType.DOUBLE, inputs.rows(), target.columns())
                : Nd4j.gemm(
                        Nd4j.gemm(inputs, m.castTo(DataType.DOUBLE), false, true),
                        w.castTo(DataType.DOUBLE),
                        false,
                        true);
        return Transforms.relu(withBias(linear, c), false).subi(target).norm2(1).toDoubleVector();
    }

    /** {@code max_x e_x} (0 for no inputs). */
    public static double max(double[] errors) {
        double max = 0;
        for (double e : errors) {
            max = Math.max(max, e);
        }
        return max;
    }

    /** {@code sum_x e_x^2}, from which the RMS of several batches is formed. */
    public static double sumOfSquares(double[] errors) {
        double squares = 0;
        for (double e : errors) {
            squares += e * e;
        }
        return squares;
    }

    private static INDArray withBias(INDArray z, INDArray bias) {
        return bias == null ? z : z.addiRowVector(bias.castTo(DataType.DOUBLE).reshape(1, z.columns()));
    }
}
