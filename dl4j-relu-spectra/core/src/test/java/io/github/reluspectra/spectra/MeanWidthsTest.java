package io.github.reluspectra.spectra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** definitions §3 facts G1–G4 and the closed forms behind them. */
class MeanWidthsTest {

    private static final MeanWidthOptions OPTIONS =
            MeanWidthOptions.builder().samples(2000).seed(3).build();

    @Test
    void closedForms() {
        assertThat(GaussianMoments.chiMean(1)).isCloseTo(Math.sqrt(2 / Math.PI), within(1e-14));
        assertThat(GaussianMoments.chiMean(2)).isCloseTo(Math.sqrt(Math.PI / 2), within(1e-14));
        assertThat(GaussianMoments.chiMean(3)).isCloseTo(2 * Math.sqrt(2 / Math.PI), within(1e-14));
        assertThat(GaussianMoments.chiMean(10_000)).isCloseTo(Math.sqrt(10_000 - 0.5), within(1e-3));
        assertThat(GaussianMoments.positivePartNormMean(1)).isCloseTo(1 / Math.sqrt(2 * Math.PI), within(1e-14));
        // m = 2: (1/4)*0 + (1/2)*E|g_+ one coordinate chi_1| + (1/4)*chi_2 mean
        double two = 0.5 * Math.sqrt(2 / Math.PI) + 0.25 * Math.sqrt(Math.PI / 2);
        assertThat(GaussianMoments.positivePartNormMean(2)).isCloseTo(two, within(1e-14));
    }

    /** G1 and G3: the identity. */
    @Test
    void identity() {
        int n = 6;
        MeanWidth w = MeanWidths.of(Nd4j.eye(n).castTo(DataType.DOUBLE), OPTIONS);
        assertThat(w.relu()).isCloseTo(GaussianMoments.positivePartNormMean(n), within(4 * w.reluStdErr() + 1e-9));
        assertThat(w.linear()).isCloseTo(GaussianMoments.chiMean(n), within(4 * w.linearStdErr()));
        assertThat(w.ballWidth()).isEqualTo(GaussianMoments.chiMean(n));
        assertThat(w.normalisedLinear()).isCloseTo(1, within(4 * w.linearStdErr() / w.ballWidth()));
    }

    /** G2: a single row a has w_relu = ||a|| / sqrt(2 pi). */
    @Test
    void singleRow() {
        INDArray a = Nd4j.createFromArray(new double[][] {{2, -1, 2}});
        MeanWidth w = MeanWidths.of(a, OPTIONS);
        assertThat(w.relu()).isCloseTo(3 / Math.sqrt(2 * Math.PI), within(4 * w.reluStdErr()));
    }

    /** G4: bounds and positive homogeneity on random matrices. */
    @Test
    void boundsAndScaling() {
        for (long seed = 1; seed <= 4; seed++) {
            INDArray a = SequentialReluValuesTest.gaussian(seed, 20 + (int) seed, 10);
            MeanWidthOptions options =
                    MeanWidthOptions.builder().samples(200).seed(seed).build();
            MeanWidth w = MeanWidths.of(a, options);
            double s1 = SequentialReluValues.compute(
                            a, SequentialReluOptions.builder().topK(1).build())
                    .values()[0];
            assertThat(w.relu())
                    .isGreaterThanOrEqualTo(0)
                    .isLessThanOrEqualTo(
                            GaussianMoments.positivePartNormMean(21 + (int) seed) * s1 + 4 * w.reluStdErr());
            MeanWidth scaled = MeanWidths.of(a.mul(2.5), options);
            assertThat(scaled.relu()).isCloseTo(2.5 * w.relu(), within(1e-9 * w.relu()));
            assertThat(scaled.linear()).isCloseTo(2.5 * w.linear(), within(1e-9 * w.linear()));
        }
    }

    @Test
    void zeroMatrixHasZeroWidths() {
        MeanWidth w = MeanWidths.of(Nd4j.zeros(DataType.DOUBLE, 4, 3), OPTIONS);
        assertThat(w.relu()).isZero();
        assertThat(w.linear()).isZero();
    }

    @Test
    void linearOnlyLeavesReluUnset() {
        MeanWidth w = MeanWidths.linear(Nd4j.eye(3).castTo(DataType.DOUBLE), OPTIONS);
        assertThat(w.relu()).isNaN();
        assertThat(w.linear())
                .isEqualTo(MeanWidths.of(Nd4j.eye(3).castTo(DataType.DOUBLE), OPTIONS)
                        .linear());
    }

    /**
     * Local width (definitions §3): {@code ||J_h||_F}, the root of the squared norms of the rows active at h: all
     * four rows of {@code I_4} active give 2, none 0, two of them sqrt 2; a large bias switches every row on.
     */
    @Test
    void localWidths() {
        INDArray a = Nd4j.eye(4).castTo(DataType.DOUBLE);
        INDArray inputs = Nd4j.createFromArray(new double[][] {{1, 2, 3, 4}, {-1, -2, -3, -4}, {1, -1, 1, -1}});
        assertThat(MeanWidths.local(a, null, inputs)).containsExactly(new double[] {2, 0, Math.sqrt(2)}, within(1e-12));
        double[] shifted = MeanWidths.local(a, Nd4j.createFromArray(10.0, 10, 10, 10), inputs);
        assertThat(shifted).containsExactly(new double[] {2, 2, 2}, within(1e-12));
    }

    /**
     * G5: {@code sqrt(||J||_F^2 - ||J||_2^2) <= E ||J^T g|| <= ||J||_F} (Jensen above; below, the Gaussian
     * Poincare inequality: {@code g -> ||J^T g||} is {@code ||J||_2}-Lipschitz, so its variance is at most
     * {@code ||J||_2^2}), with the mean estimated from 4,000 samples, on random layers and inputs.
     */
    @Test
    void localWidthBoundsTheGaussianWidth() {
        MeanWidthOptions many =
                MeanWidthOptions.builder().samples(4_000).seed(3).build();
        for (long seed = 1; seed <= 5; seed++) {
            INDArray a = SequentialReluValuesTest.gaussian(seed, 12, 7);
            INDArray h = SequentialReluValuesTest.gaussian(seed + 100, 1, 7);
            double local = MeanWidths.local(a, null, h)[0];
            INDArray active = a.mmul(h.transpose()).gt(0).castTo(DataType.DOUBLE);
            INDArray j = a.mulColumnVector(active);
            MeanWidth gaussian = MeanWidths.linear(j, many);
            double spectral = SingularValues.of(j)[0];
            double slack = 4 * gaussian.linearStdErr();
            assertThat(gaussian.linear()).as("seed %d", seed).isLessThanOrEqualTo(local + slack);
            assertThat(gaussian.linear())
                    .isGreaterThanOrEqualTo(Math.sqrt(local * local - spectral * spectral) - slack);
        }
    }
}
