package io.github.reluspectra.spectra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The column's 3 x 3 problem {@code max ||ReLU(B c)||^2} over unit c. */
class ColumnAscentTest {

    /**
     * B with positive entries: every row is active at the start {@code e1} and at the top eigenvector of
     * {@code B^T B} (positive, by Perron), so the step lands on the global maximum {@code sigma_1(B)^2}, as
     * {@code ||ReLU(B c)|| <= ||B c|| <= sigma_1}. Here B = [[2,1,1],[1,2,1],[1,1,2]]: 16 at (1,1,1)/sqrt 3.
     */
    @Test
    void aPositiveMatrixPeaksAtItsTopSingularVector() {
        double[] data = {2, 1, 1, 1, 2, 1, 1, 1, 2};
        double[] c = ColumnAscent.maximize(data, 3, 0, 3, 6);
        for (double ci : c) {
            assertThat(ci).isCloseTo(1 / Math.sqrt(3), within(1e-12));
        }
        assertThat(ColumnAscent.value(data, 3, 0, 3, 6, c)).isCloseTo(16, within(1e-12));
    }

    /** One row b with {@code b_0 > 0}: the maximum {@code ||b||^2} at {@code c = b / ||b||}, in one step. */
    @Test
    void oneRowPeaksAlongItself() {
        double[] data = {0.5, -2, 1};
        double[] c = ColumnAscent.maximize(data, 1, 0, 1, 2);
        assertThat(ColumnAscent.value(data, 1, 0, 1, 2, c)).isCloseTo(5.25, within(1e-12));
        assertThat(c[1]).isCloseTo(-2 / Math.sqrt(5.25), within(1e-12));
    }

    /** Rows with {@code (B c)_i <= 0} add nothing (the loops run without branches): here only the third counts. */
    @Test
    void inactiveRowsAddNothing() {
        // columns b0, b1, b2 of four rows; at c = (1, 1, 0)/sqrt 2 the rows give -3, 0, 2 and 0 (times 1/sqrt 2)
        double[] data = {-1, 1, 1, -0.0, -2, -1, 1, 0, 5, 5, 5, 5};
        double[] c = {1 / Math.sqrt(2), 1 / Math.sqrt(2), 0};
        assertThat(ColumnAscent.value(data, 4, 0, 4, 8, c)).isCloseTo(2, within(1e-15));
    }

    /**
     * The Gram matrix of the active rows equals the sum over the rows with {@code (B c)_i > 0}, exactly: rows at 0,
     * below it, and just above it (a subnormal) included.
     */
    @Test
    void theActiveGramSumsExactlyTheActiveRows() {
        Random random = new Random(9);
        double[] c = {0.6, -0.8, 0};
        for (int trial = 0; trial < 50; trial++) {
            int m = 1 + random.nextInt(40);
            double[] data = new double[3 * m];
            for (int i = 0; i < data.length; i++) {
                data[i] = random.nextGaussian();
            }
            // (B c)_i = 0, a subnormal above 0, and -0.0
            data[0] = 0.8;
            data[m] = 0.6;
            if (m > 2) {
                data[1] = Double.MIN_VALUE / 0.6;
                data[m + 1] = 0;
                data[2] = -0.0;
                data[m + 2] = 0;
            }
            double[] expected = new double[9];
            for (int i = 0; i < m; i++) {
                double[] b = {data[i], data[m + i], data[2 * m + i]};
                if (c[0] * b[0] + c[1] * b[1] + c[2] * b[2] > 0) {
                    for (int r = 0; r < 3; r++) {
                        for (int q = 0; q < 3; q++) {
                            expected[3 * r + q] += b[r] * b[q];
                        }
                    }
                }
            }
            assertThat(ColumnAscent.activeGram(data, m, 0, m, 2 * m, c)).containsExactly(expected);
        }
    }

    /**
     * At the start {@code c = e1} the active Gram matrix's first entry is the value itself, to the last bit (the
     * ascent takes it from there instead of another pass over the rows): rows at 0, at -0.0, negative and
     * subnormal included.
     */
    @Test
    void theStartsValueIsTheGramsFirstEntry() {
        Random random = new Random(13);
        double[] e1 = {1, 0, 0};
        for (int trial = 0; trial < 100; trial++) {
            int m = 1 + random.nextInt(60);
            double[] data = new double[3 * m];
            for (int i = 0; i < data.length; i++) {
                data[i] = random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3);
            }
            if (m > 3) {
                data[0] = 0;
                data[1] = -0.0;
                data[2] = Double.MIN_VALUE;
                data[3] = -Double.MIN_VALUE;
            }
            assertThat(ColumnAscent.activeGram(data, m, 0, m, 2 * m, e1)[0])
                    .isEqualTo(ColumnAscent.value(data, m, 0, m, 2 * m, e1));
        }
    }

    /** Monotone: never below the start {@code c = e1}, and always a unit vector. */
    @Test
    void neverBelowTheStart() {
        Random random = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            int m = 1 + random.nextInt(12);
            double[] data = new double[3 * m];
            for (int i = 0; i < data.length; i++) {
                data[i] = random.nextGaussian();
            }
            double[] c = ColumnAscent.maximize(data, m, 0, m, 2 * m);
            assertThat(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]).isCloseTo(1, within(1e-12));
            assertThat(ColumnAscent.value(data, m, 0, m, 2 * m, c))
                    .isGreaterThanOrEqualTo(ColumnAscent.value(data, m, 0, m, 2 * m, new double[] {1, 0, 0}));
        }
    }
}
