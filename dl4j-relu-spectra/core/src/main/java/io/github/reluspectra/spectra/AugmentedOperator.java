package io.github.reluspectra.spectra;

import java.io.Serializable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code [A | b]} acting on {@code (x, t)}: {@code A x + t b}, the bias as one more input coordinate
 * ({@link BiasMode#AUGMENT}) for an operator that is not a matrix. Its adjoint is {@code y -> (A^T y, b^T y)}.
 */
final class AugmentedOperator implements LinearOperator, Serializable {

    private final LinearOperator a;
    /** {@code b} as an {@code m x 1} column, already times the operator's factor. */
    private final INDArray b;

    AugmentedOperator(LinearOperator a, INDArray bias) {
        if (bias.length() != a.rows()) {
            throw new IllegalArgumentException(
                    "bias has " + bias.length() + " entries but the operator has " + a.rows() + " rows");
        }
        this.a = a;
        this.b = bias.reshape(a.rows(), 1).castTo(a.dataType()).dup('f');
    }

    private AugmentedOperator(LinearOperator a, INDArray b, boolean validated) {
        this.a = a;
        this.b = b;
    }

    @Override
    public long rows() {
        return a.rows();
    }

    @Override
    public long columns() {
        return a.columns() + 1;
    }

    @Override
    public DataType dataType() {
        return a.dataType();
    }

    /** {@code out <- A X_{1..n} + b t^T}, {@code t} the last row of the block. */
    @Override
    public void apply(INDArray x, INDArray out) {
        long n = a.columns();
        a.apply(x.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()), out);
        out.addi(b.mmul(x.get(NDArrayIndex.interval(n, n + 1), NDArrayIndex.all())));
    }

    /** {@code out <- [A^T Y; b^T Y]}. */
    @Override
    public void applyTranspose(INDArray y, INDArray out) {
        long n = a.columns();
        INDArray top = Nd4j.create(dataType(), new long[] {n, y.columns()}, 'f');
        a.applyTranspose(y, top);
        out.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).assign(top);
        out.get(NDArrayIndex.interval(n, n + 1), NDArrayIndex.all())
                .assign(b.transpose().mmul(y));
    }

    @Override
    public LinearOperator scaled(double c) {
        return new AugmentedOperator(a.scaled(c), b.mul(c), true);
    }

    /** From the larger of {@code A}'s scale and the bias's, as for a dense {@code [A | b]}. */
    @Override
    public double unitScale() {
        return b.amaxNumber().doubleValue() > 0 ? Math.min(a.unitScale(), Matrices.unitScale(b)) : a.unitScale();
    }

    @Override
    public String toString() {
        return "[" + a + " | bias]";
    }
}
