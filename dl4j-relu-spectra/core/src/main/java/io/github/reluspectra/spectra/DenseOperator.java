package io.github.reluspectra.spectra;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A dense {@code m x n} matrix, times a factor, as a {@link LinearOperator}: one GEMM per block. */
public final class DenseOperator implements LinearOperator {

    /** Scaling by at most 2^64 either way is applied to products (alpha of the GEMM), beyond it to the matrix. */
    private static final int EXTREME_EXPONENT = 64;

    private final INDArray a;
    private final double alpha;

    DenseOperator(INDArray a) {
        Matrices.requireOperator(a, "operator");
        this.a = a;
        this.alpha = 1;
    }

    private DenseOperator(INDArray validated, double alpha) {
        this.a = validated;
        this.alpha = alpha;
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
        Nd4j.gemm(a, x, out, false, false, alpha, 0.0);
    }

    @Override
    public void applyTranspose(INDArray y, INDArray out) {
        Nd4j.gemm(a, y, out, true, false, alpha, 0.0);
    }

    /**
     * {@code c A}: for moderate powers of two the products are scaled as they come out (no copy of the matrix);
     * for extreme ones (entries near 1e300 or 1e-300, whose products could overflow or lose bits before the
     * scaling) the matrix is scaled once.
     */
    @Override
    public DenseOperator scaled(double c) {
        double factor = alpha * c;
        return Math.abs(Math.getExponent(factor)) > EXTREME_EXPONENT
                ? new DenseOperator(Matrices.scaled(a, factor), 1)
                : new DenseOperator(a, factor);
    }

    @Override
    public double unitScale() {
        return Matrices.unitScale(a) / alpha;
    }

    /** {@code alpha^2 sum_j a_ij^2} per row. */
    @Override
    public INDArray rowSquaredNorms() {
        INDArray d = a.castTo(DataType.DOUBLE);
        return d.mul(d).sum(1).muli(alpha * alpha);
    }

    /** All singular values (LAPACK), largest first. */
    double[] singularValues() {
        return Matrices.scaled(SingularValues.ofValidated(a), Math.abs(alpha));
    }

    @Override
    public String toString() {
        return "DenseOperator[" + a.rows() + "x" + a.columns() + ", " + a.dataType()
                + (alpha == 1 ? "" : ", times " + alpha) + "]";
    }
}
