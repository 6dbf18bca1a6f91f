package io.github.reluspectra.measures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.reluspectra.spectra.RankFit;
import io.github.reluspectra.spectra.SequentialReluOptions;
import io.github.reluspectra.spectra.SequentialReluValues;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The per-sample measures against values computed by hand. */
class SampleMeasuresTest {

    private static INDArray m(double[][] rows) {
        return Nd4j.createFromArray(rows).castTo(DataType.DOUBLE);
    }

    private static INDArray v(double... values) {
        return Nd4j.createFromArray(values).castTo(DataType.DOUBLE);
    }

    /** A = [[2, 0], [0, -1], [1, 1]], b = (0, 0, -1); inputs (1, 0), (1, 1), (0, -2). */
    private static final INDArray A = m(new double[][] {{2, 0}, {0, -1}, {1, 1}});

    private static final INDArray B = v(0, 0, -1);
    private static final INDArray H = m(new double[][] {{1, 0}, {1, 1}, {0, -2}});

    @Test
    void gainByHand() {
        // A h + b: (2, 0, 0), (2, -1, 1), (0, 2, -3); ReLU norms 2, sqrt 5, 2; input norms 1, sqrt 2, 2.
        assertThat(SampleMeasures.gain(A, B, H))
                .containsExactly(new double[] {2, Math.sqrt(5) / Math.sqrt(2), 1}, within(1e-15));
    }

    @Test
    void activeFractionByHand() {
        assertThat(SampleMeasures.activeFraction(A, B, H)).containsExactly(1 / 3.0, 2 / 3.0, 1 / 3.0);
    }

    /** One unit (m = 1): at an input where it is active the local width is {@code ||a|| = 5}, elsewhere 0. */
    @Test
    void localWidthOfOneUnit() {
        INDArray a = m(new double[][] {{3, 4}});
        INDArray h = m(new double[][] {{1, 1}, {2, -1}, {-1, -1}});
        assertThat(SampleMeasures.localWidth(a, null, h)).containsExactly(new double[] {5, 5, 0}, within(1e-12));
    }

    /** One row a: the top ReLU singular vector is a/||a||, so the alignment of h is |a.h| / (||a|| ||h||). */
    @Test
    void alignmentWithTheTopVectorOfOneRow() {
        INDArray a = m(new double[][] {{1, 2, 2}});
        INDArray x = SequentialReluValues.compute(
                        a, SequentialReluOptions.builder().topK(1).build())
                .vectors();
        INDArray h = m(new double[][] {{1, 2, 2}, {2, -1, 0}, {3, 0, 0}});
        assertThat(SampleMeasures.alignment(x, h)).containsExactly(new double[] {1, 0, 1 / 3.0}, within(1e-6));
    }

    /**
     * The residual of a fit: 0 for the exact rank-2 fit of a 2 x 2 layer (W M = A), the relative output error of
     * the zero map (by hand), and the exact fit with the fit's factors in single
     * precision (a fit taken from a listener analysing in FLOAT).
     */
    @Test
    void residualOfExactAndZeroFits() {
        INDArray a = m(new double[][] {{1, 2}, {3, -1}});
        INDArray b = Nd4j.createFromArray(0.5, -0.25);
        INDArray h = m(new double[][] {{1, 1}, {-2, 0.5}, {0.3, -0.7}});
        RankFit exact = new RankFit(2, 0, 0, 0, 0, "test", a, Nd4j.eye(2).castTo(DataType.DOUBLE));
        assertThat(SampleMeasures.residual(a, b, exact, h)).containsOnly(0.0);
        RankFit single = new RankFit(
                2, 0, 0, 0, 0, "test", a.castTo(DataType.FLOAT), Nd4j.eye(2).castTo(DataType.FLOAT));
        assertThat(SampleMeasures.residual(a, b, single, h)).containsExactly(new double[] {0, 0, 0}, within(1e-6));
        RankFit zero = new RankFit(
                0, 0, 0, 0, 0, "test", Nd4j.zeros(DataType.DOUBLE, 2, 0), Nd4j.zeros(DataType.DOUBLE, 0, 2));
        // ReLU(A h + b) = (3.5, 1.75), (0, 0), (0, 1.35) against ReLU(b) = (0.5, 0); 0 where the output is 0
        assertThat(SampleMeasures.residual(a, b, zero, h))
                .containsExactly(
                        new double[] {Math.hypot(3, 1.75) / Math.hypot(3.5, 1.75), 0, Math.hypot(0.5, 1.35) / 1.35},
                        within(1e-12));
    }
}
