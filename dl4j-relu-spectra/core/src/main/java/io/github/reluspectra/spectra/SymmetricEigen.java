package io.github.reluspectra.spectra;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Eigendecompositions of symmetric matrices through LAPACK ({@code ?syev}, via ND4J), largest eigenvalue first:
 * the one dense symmetric eigensolver of the library (the searches' 3 x 3 to 8 x 8 problems are solved in plain
 * Java by {@link SmallDense#topEigenpair}, where an ND4J call would cost more than the arithmetic).
 */
public final class SymmetricEigen {

    /**
     * @param values  eigenvalues, largest first
     * @param vectors column j the unit eigenvector of {@code values[j]} (DOUBLE, {@code 'f'} order)
     */
    public record Decomposition(double[] values, INDArray vectors) {
        public Decomposition {
            values = values.clone();
        }

        @Override
        public double[] values() {
            return values.clone();
        }
    }

    private SymmetricEigen() {}

    /** The eigenpairs of the symmetric {@code s} (left as it was), computed in double precision. */
    public static Decomposition descending(INDArray s) {
        if (s.rank() != 2 || s.rows() != s.columns()) {
            throw new IllegalArgumentException(
                    "a symmetric matrix must be square, got " + java.util.Arrays.toString(s.shape()));
        }
        int n = Math.toIntExact(s.rows());
        // ?syev overwrites its input with the eigenvectors and returns the eigenvalues in increasing order.
        INDArray work = s.castTo(DataType.DOUBLE).dup('f');
        double[] ascending = Eigen.symmetricGeneralizedEigenvalues(work, true).toDoubleVector();
        double[] values = new double[n];
        int[] reversed = new int[n];
        for (int j = 0; j < n; j++) {
            values[j] = ascending[n - 1 - j];
            reversed[j] = n - 1 - j;
        }
        INDArray vectors = Nd4j.create(DataType.DOUBLE, new long[] {n, n}, 'f');
        Matrices.permuteColumns(work, reversed, vectors);
        return new Decomposition(values, vectors);
    }
}
