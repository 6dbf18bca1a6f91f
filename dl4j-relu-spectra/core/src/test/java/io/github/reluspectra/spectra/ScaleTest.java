package io.github.reluspectra.spectra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Positive homogeneity at the ends of the double range: a matrix times 1e156 (whose squared entries overflow)
 * or 1e-200 (whose squared entries underflow) has exactly the scaled spectra and widths of the matrix itself.
 */
class ScaleTest {

    private static final double[] SCALES = {1e156, 1e-200, 1e300, 3e-300};
    private static final double RELATIVE = 1e-6;

    @Test
    void sequentialValuesScale() {
        for (long seed = 1; seed <= 3; seed++) {
            INDArray a = SequentialReluValuesTest.gaussian(seed, 5, 5);
            // Scaling by c that is not a power of two rounds the operator, and later values inherit the earlier
            // vectors' error (about the tolerance): a tight tolerance shows the homogeneity itself.
            SequentialReluOptions options =
                    SequentialReluOptions.builder().topK(5).tolerance(1e-9).build();
            SequentialReluSpectrum base = SequentialReluValues.compute(a, options);
            for (double c : SCALES) {
                INDArray scaled = a.mul(c);
                double[] sigma = SingularValues.of(scaled);
                SequentialReluSpectrum s = SequentialReluValues.compute(scaled, options);
                for (int k = 0; k < 5; k++) {
                    assertThat(s.values()[k])
                            .as("seed %d scale %g k %d", seed, c, k + 1)
                            .isCloseTo(c * base.values()[k], within(RELATIVE * c * base.values()[k]));
                    // F2 holds at every scale.
                    assertThat(s.values()[k]).isGreaterThanOrEqualTo(sigma[k] / Math.sqrt(2) * (1 - 1e-12));
                }
            }
        }
    }

    @Test
    void widthsScale() {
        INDArray a = SequentialReluValuesTest.gaussian(4, 5, 5);
        INDArray bias = SequentialReluValuesTest.gaussian(5, 1, 5);
        INDArray inputs = SequentialReluValuesTest.gaussian(6, 3, 5);
        MeanWidthOptions options =
                MeanWidthOptions.builder().samples(64).seed(2).build();
        MeanWidth base = MeanWidths.of(a, options);
        MeanWidth baseLinear = MeanWidths.linear(a, options);
        double[] baseLocal = MeanWidths.local(a, bias, inputs);
        for (double c : SCALES) {
            MeanWidth w = MeanWidths.of(a.mul(c), options);
            assertThat(w.relu()).as("scale %g", c).isCloseTo(c * base.relu(), within(RELATIVE * c * base.relu()));
            assertThat(w.linear()).isCloseTo(c * base.linear(), within(RELATIVE * c * base.linear()));
            assertThat(w.reluStdErr()).isCloseTo(c * base.reluStdErr(), within(RELATIVE * c * base.reluStdErr()));
            assertThat(MeanWidths.linear(a.mul(c), options).linear())
                    .isCloseTo(c * baseLinear.linear(), within(RELATIVE * c * baseLinear.linear()));
            double[] local = MeanWidths.local(a.mul(c), bias.mul(c), inputs);
            for (int i = 0; i < local.length; i++) {
                assertThat(local[i]).isCloseTo(c * baseLocal[i], within(RELATIVE * c * baseLocal[i]));
            }
        }
    }

    @Test
    void zeroMatrixStaysZero() {
        assertThat(SequentialReluValues.compute(
                                Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 3, 2),
                                SequentialReluOptions.builder().topK(2).build())
                        .values())
                .containsExactly(0, 0);
    }
}
