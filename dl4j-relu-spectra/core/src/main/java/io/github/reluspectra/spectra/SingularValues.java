package io.github.reluspectra.spectra;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Classical singular values through ND4J's LAPACK ({@code ?gesvd}, values only). */
public final class SingularValues {

    private SingularValues() {
    }

    /**
     * All {@code min(m, n)} singular values of {@code a}, largest first.
     *
     * @throws IllegalArgumentException if {@code a} is not a finite, non-empty FLOAT or DOUBLE matrix
     */
    public static double[] of(INDArray a) {
        Matrices.requireOperator(a, "operator");
        return ofValidated(a);
    }

    static double[] ofValidated(INDArray a) {
        // LAPACK overwrites its input and reads the buffer from its start, so it gets a fresh dense copy.
        INDArray work = a.dup('f');
        INDArray s = Nd4j.create(a.dataType(), Math.min(a.rows(), a.columns()));
        Nd4j.getBlasWrapper().lapack().gesvd(work, s, null, null);
        return s.toDoubleVector();
    }

    /**
     * Singular values with their right singular vectors.
     *
     * @param values  all {@code min(m, n)} singular values, largest first
     * @param vectors {@code n x min(m, n)}: column k is the right singular vector of {@code values[k]}
     */
    public record RightSingular(double[] values, INDArray vectors) {
    }

    /** The singular values of {@code a} and its right singular vectors (LAPACK {@code ?gesvd}). */
    public static RightSingular withRightVectors(INDArray a) {
        Matrices.requireOperator(a, "operator");
        INDArray work = a.dup('f');
        long n = a.columns();
        int k = (int) Math.min(a.rows(), n);
        INDArray s = Nd4j.create(a.dataType(), k);
        INDArray vt = Nd4j.create(a.dataType(), new long[] {n, n}, 'f');
        Nd4j.getBlasWrapper().lapack().gesvd(work, s, null, vt);
        INDArray v = vt.get(NDArrayIndex.interval(0, k), NDArrayIndex.all()).transpose().dup('f');
        return new RightSingular(s.toDoubleVector(), v);
    }

    /** The top right singular vector of {@code a}, as an {@code n x 1} column. */
    static INDArray topRightVector(INDArray a) {
        return withRightVectors(a).vectors().getColumn(0).dup().reshape(a.columns(), 1);
    }
}
