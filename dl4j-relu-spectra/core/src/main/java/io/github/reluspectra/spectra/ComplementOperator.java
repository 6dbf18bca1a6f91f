package io.github.reluspectra.spectra;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code A P_Q}, {@code P_Q = I - Q Q^T} the projection on the complement of orthonormal columns {@code Q}:
 * the operator whose top right singular vector seeds the sequential search where a value misses F2.
 */
final class ComplementOperator implements LinearOperator {

    private final LinearOperator a;
    /** Orthonormal columns ({@code n x j}), or null for none. */
    private final INDArray q;

    ComplementOperator(LinearOperator a, INDArray q) {
        this.a = a;
        this.q = q;
    }

    @Override
    public long rows() {
        return a.rows();
    }

    @Override
    public long columns() {
        return a.columns();
    }

    @Override
    public DataType dataType() {
        return a.dataType();
    }

    /** {@code out <- A (X - Q Q^T X)}. */
    @Override
    public void apply(INDArray x, INDArray out) {
        INDArray projected = x.dup('f');
        Matrices.projectOut(projected, q);
        a.apply(projected, out);
    }

    /** {@code out <- P_Q A^T Y}. */
    @Override
    public void applyTranspose(INDArray y, INDArray out) {
        a.applyTranspose(y, out);
        Matrices.projectOut(out, q);
    }

    @Override
    public LinearOperator scaled(double c) {
        return new ComplementOperator(a.scaled(c), q);
    }

    @Override
    public double unitScale() {
        return a.unitScale();
    }
}
