package io.github.reluspectra.spectra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The certificate against boundary saddles, on the hand-built saddle of docs/algorithms.md. */
class SaddleCertificateTest {

    /**
     * The hand-built boundary saddle, {@code 2 x n}: at {@code x = e1} row 1 is active (value 2), row 2 sits just
     * below activation ({@code -1e-6}), and turning toward {@code e2} activates it ({@code a_22 = 2.2}).
     */
    static INDArray saddle(int n) {
        INDArray a = Nd4j.zeros(DataType.DOUBLE, 2, n);
        a.putScalar(0, 0, 2);
        a.putScalar(1, 0, -1e-6);
        a.putScalar(1, 1, 2.2);
        return a;
    }

    /**
     * At {@code x = e1} row 1 is active (value 2) and row 2 sits just below activation ({@code -1e-6}); turning
     * toward {@code e2} activates it and reaches {@code sqrt(2^2 + 2.2^2)} at best in the plane: the certificate
     * must return a unit vector of value above 2, orthogonal to nothing locked.
     */
    @Test
    void findsTheHigherCellNextToTheSaddle() {
        INDArray a = saddle(5);
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 5, 1).putScalar(0, 0, 1);
        INDArray higher = new SaddleCertificate(LinearOperator.dense(a)).escape(x, null);
        assertThat(higher).isNotNull();
        assertThat(higher.norm2Number().doubleValue()).isCloseTo(1, within(1e-12));
        assertThat(Transforms.relu(a.mmul(higher), true).norm2Number().doubleValue())
                .isGreaterThan(2.0 + 1e-3);
    }

    /** Where every row is active (no boundary), there is nothing to certify against. */
    @Test
    void aPointWithEveryRowActiveHasNoEscape() {
        INDArray a = Nd4j.createFromArray(new double[][] {{1, 0.5}, {0.5, 1}});
        INDArray x = Nd4j.createFromArray(new double[][] {{Math.sqrt(0.5)}, {Math.sqrt(0.5)}});
        assertThat(new SaddleCertificate(LinearOperator.dense(a)).escape(x, null))
                .isNull();
    }

    /** The escape stays in the complement of the vectors locked so far. */
    @Test
    void theEscapeIsOrthogonalToTheLockedVectors() {
        INDArray a = saddle(5);
        a.putScalar(1, 2, 2.2);
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 5, 1).putScalar(0, 0, 1);
        INDArray locked = Nd4j.zeros(DataType.DOUBLE, 5, 1).putScalar(2, 0, 1);
        INDArray higher = new SaddleCertificate(LinearOperator.dense(a)).escape(x, locked);
        assertThat(higher).isNotNull();
        assertThat(Math.abs(higher.getDouble(2, 0))).isLessThan(1e-12);
    }
}
