package io.github.reluspectra.spectra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The orthonormalisation helpers of the searches, pinned to exact cases. */
class MatricesTest {

    private static INDArray columns(double[][] rows) {
        return Nd4j.createFromArray(rows).castTo(DataType.DOUBLE).dup('f');
    }

    private static double offIdentity(INDArray q) {
        return Nd4j.gemm(q, q, true, false)
                .sub(Nd4j.eye(q.columns()).castTo(DataType.DOUBLE))
                .amaxNumber()
                .doubleValue();
    }

    /** Gram-Schmidt by hand: (3,4,0), (1,0,0) become (0.6,0.8,0), (0.8,-0.6,0) with positive diagonal of R. */
    @Test
    void independentColumnsBecomeTheGramSchmidtBasis() {
        INDArray z = columns(new double[][] {{3, 1}, {4, 0}, {0, 0}});
        assertThat(Matrices.orthonormalizeColumns(z)).isTrue();
        assertThat(z.getDouble(0, 0)).isCloseTo(0.6, within(1e-15));
        assertThat(z.getDouble(1, 0)).isCloseTo(0.8, within(1e-15));
        assertThat(z.getDouble(0, 1)).isCloseTo(0.8, within(1e-15));
        assertThat(z.getDouble(1, 1)).isCloseTo(-0.6, within(1e-15));
        assertThat(z.getDouble(2, 1)).isCloseTo(0, within(1e-15));
    }

    /** A dependent column is reported and replaced by a direction orthogonal to the others. */
    @Test
    void dependentColumnsAreReportedAndCompleted() {
        INDArray z = columns(new double[][] {{1, 2, 0}, {1, 2, 0}, {0, 0, 1}, {0, 0, 0}});
        assertThat(Matrices.orthonormalizeColumns(z)).isFalse();
        assertThat(offIdentity(z)).isLessThan(1e-12);
        assertThat(Math.abs(z.getDouble(0, 0))).isCloseTo(Math.sqrt(0.5), within(1e-12));
    }

    /** Ill-conditioned but independent columns (kappa about 1e7) still come out orthonormal to rounding. */
    @Test
    void illConditionedColumnsStayOrthonormal() {
        INDArray z = columns(new double[][] {{1, 1}, {0, 1e-7}, {0, 0}});
        Matrices.orthonormalizeColumns(z);
        assertThat(offIdentity(z)).isLessThan(1e-12);
        assertThat(Math.abs(z.getDouble(1, 1))).isCloseTo(1, within(1e-9));
    }

    @Test
    void projectOutRemovesTheSpan() {
        INDArray q = columns(new double[][] {{1}, {0}, {0}});
        INDArray x = columns(new double[][] {{2, 5}, {3, 0}, {4, 1}});
        Matrices.projectOut(x, q);
        assertThat(x.toDoubleMatrix()).isDeepEqualTo(new double[][] {{0, 0}, {3, 0}, {4, 1}});
    }

    @Test
    void permuteColumnsIsExact() {
        INDArray x = columns(new double[][] {{1, 2, 3}, {4, 5, 6}});
        INDArray out = Nd4j.create(DataType.DOUBLE, new long[] {2, 3}, 'f');
        Matrices.permuteColumns(x, new int[] {2, 0, 1}, out);
        assertThat(out.toDoubleMatrix()).isDeepEqualTo(new double[][] {{3, 1, 2}, {6, 4, 5}});
    }
}
