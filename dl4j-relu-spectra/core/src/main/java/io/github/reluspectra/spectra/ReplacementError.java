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
        INDArray inputs = x.castTo(DataType.DOUBLE);
        INDArray target = Transforms.relu(withBias(Nd4j.gemm(inputs, a.castTo(DataType.DOUBLE), false, true), b),
                false);
        INDArray replaced = Transforms.relu(withBias(Nd4j.gemm(Nd4j.gemm(inputs, m.castTo(DataType.DOUBLE), false,
                true), w.castTo(DataType.DOUBLE), false, true), c), false);
        double[] errors = replaced.subi(target).norm2(1).toDoubleVector();
        INDArray zero = Transforms.relu(withBias(Nd4j.zeros(DataType.DOUBLE, inputs.rows(), a.rows()), b), false);
        double rankZero = zero.subi(target).norm2(1).maxNumber().doubleValue();
        double max = 0;
        double squares = 0;
        for (double e : errors) {
            max = Math.max(max, e);
            squares += e * e;
        }
        return new ReplacementError(max, rankZero, rankZero > 0 ? max / rankZero : 0,
                Math.sqrt(squares / Math.max(errors.length, 1)));
    }

    private static INDArray withBias(INDArray z, INDArray bias) {
        return bias == null ? z : z.addiRowVector(bias.castTo(DataType.DOUBLE).reshape(1, z.columns()));
    }
}
