package io.github.reluspectra.spectra;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A dense {@code m x n} matrix as a {@link LinearOperator}: one GEMM per block. */
public final class DenseOperator implements LinearOperator {

    /** Scaling by at most 2^64 either way is applied to products (alpha of the GEMM), beyond it to the matrix. */
    private static final int EXTREME_EXPONENT = 64;

    private final INDArray a;

    DenseOperator(INDArray a) {
        Matrices.requireOperator(a, "operator");
        this.a = a;
    }

    /** The matrix. */
    public INDArray matrix() {
        return a;
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

    @Override
    public void apply(INDArray x, INDArray out) {
        Nd4j.gemm(a, x, out, false, false, 1.0, 0.0);
    }

    @Override
    public void applyTranspose(INDArray y, INDArray out) {
        Nd4j.gemm(a, y, out, true, false, 1.0, 0.0);
    }

    /**
     * {@code c A}: for moderate powers of two its products are scaled as they come out (no copy of the matrix);
     * for extreme ones (entries near 1e300 or 1e-300, where products of the original could overflow or lose
     * bits) the matrix is scaled once.
     */
    @Override
    public LinearOperator scaled(double c) {
        if (Math.abs(Math.getExponent(c)) > EXTREME_EXPONENT) {
            return new DenseOperator(Matrices.scaled(a, c));
        }
        DenseOperator base = this;
        return new LinearOperator() {
            @Override
            public long rows() {
                return base.rows();
            }

            @Override
            public long columns() {
                return base.columns();
            }

            @Override
            public DataType dataType() {
                return base.dataType();
            }

            @Override
            public void apply(INDArray x, INDArray out) {
                Nd4j.gemm(a, x, out, false, false, c, 0.0);
            }

            @Override
            public void applyTranspose(INDArray y, INDArray out) {
                Nd4j.gemm(a, y, out, true, false, c, 0.0);
            }

            @Override
            public LinearOperator scaled(double more) {
                return base.scaled(c * more);
            }

            @Override
            public double unitScale() {
                return base.unitScale() / c;
            }
        };
    }

    @Override
    public double unitScale() {
        return Matrices.unitScale(a);
    }

    @Override
    public String toString() {
        return "DenseOperator[" + a.rows() + "x" + a.columns() + ", " + a.dataType() + "]";
    }
}
