package io.github.reluspectra.spectra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The dense symmetric eigensolver and the singular vectors built on it, against matrices of known spectra. */
class SymmetricEigenTest {

    /** An orthogonal n x n matrix from the QR of a seeded Gaussian one. */
    private static INDArray orthogonal(long seed, int n) {
        INDArray q;
        try (Gaussians g = new Gaussians(seed)) {
            q = g.sample(DataType.DOUBLE, n, n);
        }
        Matrices.orthonormalizeColumns(q);
        return q;
    }

    /** {@code Q diag(5, 3, 1, -2) Q^T}: eigenvalues largest first, {@code S v_j = lambda_j v_j}, input untouched. */
    @Test
    void knownEigenpairsLargestFirst() {
        INDArray q = orthogonal(3, 4);
        INDArray s =
                q.mmul(Nd4j.diag(Nd4j.createFromArray(5.0, 3.0, 1.0, -2.0))).mmul(q.transpose());
        INDArray copy = s.dup();
        SymmetricEigen.Decomposition d = SymmetricEigen.descending(s);
        assertThat(d.values()).containsExactly(new double[] {5, 3, 1, -2}, within(1e-12));
        for (int j = 0; j < 4; j++) {
            INDArray v = d.vectors().getColumn(j).reshape(4, 1);
            assertThat(s.mmul(v).sub(v.mul(d.values()[j])).norm2Number().doubleValue())
                    .isLessThan(1e-12);
            assertThat(Math.abs(v.transpose().mmul(q.getColumn(j).reshape(4, 1)).getDouble(0)))
                    .isCloseTo(1, within(1e-12));
        }
        assertThat(s).isEqualTo(copy);
        assertThatThrownBy(() -> SymmetricEigen.descending(Nd4j.zeros(2, 3))).hasMessageContaining("square");
    }

    /**
     * {@code A = U diag(sigma) V^T} (6 x 4, sigma = 4, 2, 1, 1e-3): the values to {@code 1e-8 sigma_1}, the
     * vectors of the separated values to rounding, orthonormal.
     */
    @Test
    void rightSingularVectorsOfAKnownMatrix() {
        INDArray u = orthogonal(5, 6).getColumns(0, 1, 2, 3);
        INDArray v = orthogonal(7, 4);
        double[] sigma = {4, 2, 1, 1e-3};
        INDArray a = u.mmul(Nd4j.diag(Nd4j.createFromArray(sigma))).mmul(v.transpose());
        SingularValues.RightSingular svd = SingularValues.withRightVectors(a);
        assertThat(svd.values()).containsExactly(sigma, within(1e-8 * sigma[0]));
        INDArray gram = svd.vectors().transpose().mmul(svd.vectors());
        assertThat(gram.sub(Nd4j.eye(4).castTo(DataType.DOUBLE)).amaxNumber().doubleValue())
                .isLessThan(1e-12);
        for (int j = 0; j < 3; j++) {
            double along = svd.vectors()
                    .getColumn(j)
                    .reshape(1, 4)
                    .mmul(v.getColumn(j).reshape(4, 1))
                    .getDouble(0);
            assertThat(Math.abs(along)).isCloseTo(1, within(1e-12));
        }
    }
}
