package io.github.reluspectra.spectra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The matrix-free paths (search, top singular values, widths) agree with the dense ones on the same operator. */
class LinearOperatorTest {

    /** A matrix seen only through products, as a convolution will be: not a DenseOperator. */
    private record Opaque(INDArray a) implements LinearOperator {
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

        @Override
        public LinearOperator scaled(double c) {
            return new Opaque(a.mul(c));
        }

        @Override
        public double unitScale() {
            return 1;
        }
    }

    @Test
    void topSingularValuesByIteration() {
        INDArray a = SequentialReluValuesTest.gaussian(3, 60, 40);
        double[] exact = SingularValues.of(a);
        TopSingularValues result = SingularValues.top(new Opaque(a), 6, 1e-10, 2000, 1);
        assertThat(result.converged()).isTrue();
        assertThat(result.maxResidual()).isLessThanOrEqualTo(1e-10);
        double[] top = result.values();
        for (int i = 0; i < 6; i++) {
            assertThat(top[i]).as("sigma_%d", i + 1).isCloseTo(exact[i], within(1e-6 * exact[i]));
        }
        assertThat(SingularValues.top(LinearOperator.dense(a), 6, 1e-12, 1, 1).values())
                .containsExactly(java.util.Arrays.copyOf(exact, 6));
    }

    @Test
    void searchAndWidthsAreTheSameThroughProducts() {
        INDArray a = SequentialReluValuesTest.gaussian(5, 50, 30);
        double[] sigma = SingularValues.of(a);
        SequentialReluOptions options = SequentialReluOptions.builder().topK(5).build();
        SequentialReluSpectrum dense = SequentialReluValues.compute(a, options);
        SequentialReluSpectrum opaque = SequentialReluValues.compute(new Opaque(a), sigma, options, "opaque");
        assertThat(opaque.values()).containsExactly(dense.values(), within(1e-12));
        MeanWidthOptions widths = MeanWidthOptions.builder().samples(32).build();
        assertThat(MeanWidths.of(new Opaque(a), widths)).isEqualTo(MeanWidths.of(a, widths));
        assertThat(MeanWidths.linear(new Opaque(a), widths)).isEqualTo(MeanWidths.linear(a, widths));
    }

    /** The rows' squared norms: the dense formula, and the same through products with unit vectors. */
    @Test
    void rowSquaredNormsDenseAndThroughProducts() {
        INDArray a = SequentialReluValuesTest.gaussian(8, 300, 7);
        INDArray expected = a.mul(a).sum(1);
        assertThat(LinearOperator.dense(a)
                        .rowSquaredNorms()
                        .sub(expected)
                        .amaxNumber()
                        .doubleValue())
                .isLessThan(1e-12);
        assertThat(LinearOperator.dense(a)
                        .scaled(2)
                        .rowSquaredNorms()
                        .sub(expected.mul(4))
                        .amaxNumber()
                        .doubleValue())
                .isLessThan(1e-11);
        assertThat(new Opaque(a).rowSquaredNorms().sub(expected).amaxNumber().doubleValue())
                .isLessThan(1e-12);
    }
}
