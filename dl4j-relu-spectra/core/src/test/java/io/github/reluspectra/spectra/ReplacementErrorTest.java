package io.github.reluspectra.spectra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The error of a replacement over data, against exact cases and the fit that reports the same quantity. */
class ReplacementErrorTest {

    private static final INDArray A = SequentialReluValuesTest.gaussian(21, 6, 5);
    private static final INDArray B =
            SequentialReluValuesTest.gaussian(22, 1, 6).reshape(6);
    private static final INDArray X = SequentialReluValuesTest.gaussian(23, 40, 5);

    /** {@code W M = A} with the layer's bias: error 0; the zero map: the rank-0 value itself, ratio 1. */
    @Test
    void exactAndZeroReplacements() {
        ReplacementError exact = ReplacementError.of(A, B, X, A, Nd4j.eye(5).castTo(DataType.DOUBLE), B);
        assertThat(exact.value()).isCloseTo(0, within(1e-12));
        assertThat(exact.rms()).isCloseTo(0, within(1e-12));
        assertThat(exact.relative()).isCloseTo(0, within(1e-12));
        ReplacementError zero =
                ReplacementError.of(A, B, X, Nd4j.zeros(DataType.DOUBLE, 6, 1), Nd4j.zeros(DataType.DOUBLE, 1, 5), B);
        assertThat(zero.value()).isCloseTo(zero.rankZeroValue(), within(1e-12));
        assertThat(zero.relative()).isCloseTo(1, within(1e-12));
        assertThat(zero.rms()).isLessThanOrEqualTo(zero.value());
    }

    /** On the fit's own inputs, the error of its factors is the value and RMS the fit reports (definitions §2b). */
    @Test
    void theFitsFactorsScoreWhatTheFitReports() {
        ReluValuesOverData values = ReluSingularValues.compute(
                A, B, X, ReluFitOptions.builder().ranks(0, 2).build());
        RankFit fit = values.fit(2);
        ReplacementError e = ReplacementError.of(A, B, X, fit.w(), fit.m(), B);
        assertThat(e.value()).isCloseTo(fit.value(), within(1e-9 * values.values()[0]));
        assertThat(e.rms()).isCloseTo(fit.rms(), within(1e-9 * values.values()[0]));
        assertThat(e.rankZeroValue()).isCloseTo(values.values()[0], within(1e-9 * values.values()[0]));
    }
}
