package io.github.reluspectra.spectra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** W1 (definitions §7): WeightWatcher's metrics against exact cases and samples of known power laws. */
class SpectralMetricsTest {

    /**
     * Eigenvalues drawn from a Pareto law {@code p(x) ~ x^-alpha} for {@code x >= 1} (inverse transform:
     * {@code x = (1 - u)^(-1 / (alpha - 1))}): the fit recovers alpha within three of its standard errors.
     */
    @ParameterizedTest
    @ValueSource(doubles = {2.0, 3.0, 4.5})
    void aParetoSampleGivesItsExponentBack(double alpha) {
        Random random = new Random(Double.doubleToLongBits(alpha));
        double[] sigma = new double[2_000];
        for (int i = 0; i < sigma.length; i++) {
            double lambda = Math.pow(1 - random.nextDouble(), -1 / (alpha - 1));
            sigma[i] = Math.sqrt(lambda);
        }
        SpectralMetrics m = SpectralMetrics.of(sigma);
        assertThat(m.alpha()).isCloseTo(alpha, within(3 * m.alphaStdErr()));
        assertThat(m.alphaStdErr()).isCloseTo((m.alpha() - 1) / Math.sqrt(m.tailSize()), within(1e-12));
        assertThat(m.ksDistance()).isBetween(0.0, 0.1);
    }

    /** sigma = 3, 2, 1: lambda = 9, 4, 1; stable rank 14/9, log spectral norm log10 9, the rest built on alpha. */
    @Test
    void exactCases() {
        SpectralMetrics m = SpectralMetrics.of(new double[] {1, 3, 2});
        assertThat(m.stableRank()).isCloseTo(14.0 / 9, within(1e-12));
        assertThat(m.logSpectralNorm()).isCloseTo(Math.log10(9), within(1e-12));
        assertThat(m.weightedAlpha()).isCloseTo(m.alpha() * Math.log10(9), within(1e-12));
        assertThat(m.logAlphaNorm())
                .isCloseTo(
                        Math.log10(Math.pow(9, m.alpha()) + Math.pow(4, m.alpha()) + Math.pow(1, m.alpha())),
                        within(1e-12));
        // with x_min = 1 and the tail {1, 4, 9}: alpha = 1 + 3 / (ln 4 + ln 9)
        assertThat(m.xmin()).isEqualTo(1.0);
        assertThat(m.alpha()).isCloseTo(1 + 3 / (Math.log(4) + Math.log(9)), within(1e-12));
    }

    @Test
    void tooFewEigenvaluesHaveNoPowerLaw() {
        SpectralMetrics m = SpectralMetrics.of(new double[] {2, 0});
        assertThat(m.alpha()).isNaN();
        assertThat(m.tailSize()).isZero();
        assertThat(m.stableRank()).isEqualTo(1.0);
        assertThat(SpectralMetrics.of(new double[] {0, 0}).stableRank()).isNaN();
    }
}
