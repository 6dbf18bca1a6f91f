package io.github.reluspectra.spectra;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A linear map {@code A: R^n -> R^m} seen only through its action on blocks of vectors: what the sequential
 * search, the top classical singular values and the mean widths need, so that an operator never formed as a
 * matrix (a convolution) plugs in beside a dense layer ({@link #dense}).
 *
 * <p>Blocks are {@code 'f'}-ordered matrices with one vector per column, in {@link #dataType()}; {@code out}
 * is written, never read, and has the result's shape.
 */
public interface LinearOperator {

    /** m: the dimension of the outputs. */
    long rows();

    /** n: the dimension of the inputs. */
    long columns();

    DataType dataType();

    /** {@code out <- A X} ({@code X}: n x w, {@code out}: m x w). */
    void apply(INDArray x, INDArray out);

    /** {@code out <- A^T Y} ({@code Y}: m x w, {@code out}: n x w). */
    void applyTranspose(INDArray y, INDArray out);

    /** {@code c A}: the searches run on the operator scaled to entries of order 1 and scale their results back. */
    LinearOperator scaled(double c);

    /**
     * A power of two {@code c} with {@code c A} of order 1 (exact to scale by): for a matrix from its largest
     * entry (see {@link Matrices#unitScale}).
     */
    double unitScale();

    /** {@code A X}, a new block. */
    default INDArray apply(INDArray x) {
        INDArray out = org.nd4j.linalg.factory.Nd4j.create(dataType(), new long[] {rows(), x.columns()}, 'f');
        apply(x, out);
        return out;
    }

    /** {@code A^T Y}, a new block. */
    default INDArray applyTranspose(INDArray y) {
        INDArray out = org.nd4j.linalg.factory.Nd4j.create(dataType(), new long[] {columns(), y.columns()}, 'f');
        applyTranspose(y, out);
        return out;
    }

    /**
     * {@code ||a_i||^2} for every row {@code a_i} of A ({@code m} entries, DOUBLE): here from {@code A^T} applied to
     * blocks of unit vectors; operators that know their rows compute them directly.
     */
    default INDArray rowSquaredNorms() {
        long m = rows();
        INDArray out = org.nd4j.linalg.factory.Nd4j.create(DataType.DOUBLE, m);
        long block = Math.max(1, Math.min(m, 256));
        for (long start = 0; start < m; start += block) {
            long size = Math.min(block, m - start);
            INDArray units = org.nd4j.linalg.factory.Nd4j.create(dataType(), new long[] {m, size}, 'f');
            for (long j = 0; j < size; j++) {
                units.putScalar(start + j, j, 1);
            }
            INDArray rowsT = applyTranspose(units).castTo(DataType.DOUBLE);
            out.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(start, start + size))
                    .assign(rowsT.mul(rowsT).sum(0));
        }
        return out;
    }

    /**
     * A dense matrix as an operator.
     *
     * @throws IllegalArgumentException if {@code a} is not a finite, non-empty FLOAT or DOUBLE matrix
     */
    static DenseOperator dense(INDArray a) {
        return new DenseOperator(a);
    }
}
